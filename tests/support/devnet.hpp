#pragma once
/// scripts/devnet in a temporary directory on a free port (real Aave v3, Morpho Blue, Uniswap v2 bytecode, seeded
/// borrowers), taken down and removed at the end; with typed access to its manifest.json.

#include "tests/support/anvil.hpp"
#include "tests/support/process.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sluice::test {

class Devnet {
 public:
  explicit Devnet(int borrowers, int seed = 7) {
    namespace fs = std::filesystem;
    std::string templ = (fs::temp_directory_path() / "sluice-devnet-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
    const ProcessResult up =
        run_process({source() + "/scripts/devnet", "up", "--port", std::to_string(free_port()), "--borrowers",
                     std::to_string(borrowers), "--seed", std::to_string(seed), "--dir", dir_});
    if (up.exit_code != 0) {
      down();
      throw std::runtime_error("scripts/devnet up failed: " + up.err);
    }
    if (parser_.load(dir_ + "/manifest.json").get(manifest_) != simdjson::SUCCESS)
      throw std::runtime_error("devnet manifest is not JSON");
  }
  ~Devnet() { down(); }
  Devnet(const Devnet&) = delete;
  Devnet& operator=(const Devnet&) = delete;

  static std::string source() { return SLUICE_SOURCE_DIR; }
  const std::string& dir() const { return dir_; }
  const simdjson::dom::element& manifest() const { return manifest_; }

  /// A string field of the manifest by JSON pointer, e.g. "/aave/pool".
  std::string at(const std::string& pointer) const {
    std::string_view v;
    if (manifest_.at_pointer(pointer).get_string().get(v) != simdjson::SUCCESS)
      throw std::runtime_error("manifest has no string at " + pointer);
    return std::string(v);
  }
  /// A number field of the manifest (a JSON number or a number written as a string).
  std::int64_t number_at(const std::string& pointer) const {
    std::int64_t v = 0;
    if (manifest_.at_pointer(pointer).get_int64().get(v) != simdjson::SUCCESS) {
      std::string_view s;
      if (manifest_.at_pointer(pointer).get_string().get(s) != simdjson::SUCCESS)
        throw std::runtime_error("manifest has no number at " + pointer);
      v = std::stoll(std::string(s), nullptr, 0);
    }
    return v;
  }

  ProcessResult scenario(std::vector<std::string> args) const {
    std::vector<std::string> argv{source() + "/scripts/scenario", "--dir", dir_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }

 private:
  void down() {
    if (dir_.empty()) return;
    run_process({source() + "/scripts/devnet", "down", "--dir", dir_});
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
  std::string dir_;
  simdjson::dom::parser parser_;
  simdjson::dom::element manifest_;
};

}  // namespace sluice::test
