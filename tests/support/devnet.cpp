#include "tests/support/devnet.hpp"

#include "tests/support/anvil.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace sluice::test {

namespace fs = std::filesystem;

namespace {
const std::string kSource = SLUICE_SOURCE_DIR;
}

Devnet::Devnet(int borrowers, int seed) {
  std::string templ = (fs::temp_directory_path() / "sluice-devnet-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  const ProcessResult up = run_process({kSource + "/scripts/devnet", "up", "--port", std::to_string(free_port()),
                                        "--borrowers", std::to_string(borrowers), "--seed", std::to_string(seed),
                                        "--dir", dir_});
  if (up.exit_code != 0) {
    down();
    throw std::runtime_error("scripts/devnet up failed: " + up.err);
  }
  if (parser_.load(dir_ + "/manifest.json").get(manifest_) != simdjson::SUCCESS) {
    down();
    throw std::runtime_error("devnet manifest is not JSON");
  }
}

Devnet::~Devnet() { down(); }

std::string Devnet::at(const std::string& pointer) const {
  std::string_view v;
  if (manifest_.at_pointer(pointer).get_string().get(v) != simdjson::SUCCESS)
    throw std::runtime_error("manifest has no string at " + pointer);
  return std::string(v);
}

std::int64_t Devnet::number_at(const std::string& pointer) const {
  std::int64_t v = 0;
  if (manifest_.at_pointer(pointer).get_int64().get(v) != simdjson::SUCCESS) {
    std::string_view s;  // a number written as a string
    if (manifest_.at_pointer(pointer).get_string().get(s) != simdjson::SUCCESS)
      throw std::runtime_error("manifest has no number at " + pointer);
    v = std::stoll(std::string(s), nullptr, 0);
  }
  return v;
}

std::vector<std::string> Devnet::strings_at(const std::string& pointer) const {
  simdjson::dom::array array;
  if (manifest_.at_pointer(pointer).get_array().get(array) != simdjson::SUCCESS)
    throw std::runtime_error("manifest has no array at " + pointer);
  std::vector<std::string> out;
  for (auto e : array) {
    std::string_view s;
    if (e.get_string().get(s) != simdjson::SUCCESS)
      throw std::runtime_error("manifest array holds a non-string at " + pointer);
    out.emplace_back(s);
  }
  return out;
}

ProcessResult Devnet::scenario(std::vector<std::string> args) const {
  std::vector<std::string> argv{kSource + "/scripts/scenario", "--dir", dir_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

void Devnet::down() {
  if (dir_.empty()) return;
  run_process({kSource + "/scripts/devnet", "down", "--dir", dir_});
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
  dir_.clear();
}

}  // namespace sluice::test
