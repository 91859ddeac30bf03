#include "keeper/exec/send_error.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>

namespace sluice::keeper {

namespace {

bool contains_any(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return haystack.find(n) != std::string::npos; });
}

}  // namespace

SendRefusal classify_send_error(std::string_view message) noexcept {
  std::string m(message);
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // geth "already known", Erigon/Nethermind "already exists"/"AlreadyKnown", anvil "transaction already imported".
  if (contains_any(m, {"already known", "alreadyknown", "already imported", "already exists",
                       "known transaction"}))
    return SendRefusal::already_known;
  // geth "nonce too low", anvil "nonce too low", Nethermind "OldNonce".
  if (contains_any(m, {"nonce too low", "oldnonce", "nonce is too low"})) return SendRefusal::nonce_too_low;
  if (contains_any(m, {"replacement transaction underpriced", "replacement underpriced", "replacementunderpriced"}))
    return SendRefusal::replacement_underpriced;
  if (contains_any(m, {"insufficient funds", "insufficientfunds"})) return SendRefusal::insufficient_funds;
  if (contains_any(m, {"underpriced", "fee cap less than block base fee", "max fee per gas less than block base fee",
                       "feecaptoolow", "fee too low"}))
    return SendRefusal::underpriced;
  return SendRefusal::other;
}

const char* send_refusal_name(SendRefusal refusal) noexcept {
  switch (refusal) {
    case SendRefusal::already_known: return "already_known";
    case SendRefusal::nonce_too_low: return "nonce_too_low";
    case SendRefusal::replacement_underpriced: return "replacement_underpriced";
    case SendRefusal::underpriced: return "underpriced";
    case SendRefusal::insufficient_funds: return "insufficient_funds";
    case SendRefusal::other: return "other";
  }
  return "other";
}

}  // namespace sluice::keeper
