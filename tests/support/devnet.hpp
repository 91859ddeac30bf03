#pragma once
/// A devnet (scripts/devnet: real Aave v3, Morpho Blue, Uniswap v2) in a temporary directory on a free port,
/// taken down (and the directory removed) at the end, with its manifest and scripts/scenario at hand.

#include "tests/support/process.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::test {

class Devnet {
 public:
  explicit Devnet(int borrowers, int seed = 7);
  ~Devnet();
  Devnet(const Devnet&) = delete;
  Devnet& operator=(const Devnet&) = delete;

  /// The repository the devnet scripts come from.
  static std::string source() { return SLUICE_SOURCE_DIR; }
  const std::string& dir() const { return dir_; }
  /// A string field of the manifest by JSON pointer, e.g. "/aave/pool".
  std::string at(const std::string& pointer) const;
  std::int64_t number_at(const std::string& pointer) const;
  /// An array of strings of the manifest by JSON pointer, e.g. "/borrowers".
  std::vector<std::string> strings_at(const std::string& pointer) const;
  const simdjson::dom::element& manifest() const { return manifest_; }

  /// Runs scripts/scenario --dir <dir> args...
  ProcessResult scenario(std::vector<std::string> args) const;

 private:
  void down();
  std::string dir_;
  simdjson::dom::parser parser_;
  simdjson::dom::element manifest_;
};

}  // namespace sluice::test
