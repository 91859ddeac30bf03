#include "strategy/plan/revert_reason.hpp"

#include "chain/abi/decode.hpp"
#include "strategy/core/abi_io.hpp"
#include "strategy/plan/aave_error_codes.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

namespace sluice::plan {

namespace {

constexpr std::string_view kErrorSignature = "Error(string)";
constexpr std::string_view kPanicSignature = "Panic(uint256)";

/// Morpho Blue's ErrorsLib messages a liquidation can meet (@morpho-org/morpho-blue 1.0.0, libraries/ErrorsLib.sol
/// and SafeTransferLib.sol). Morpho's transferFrom wrapper replaces the token's own message, so a missing
/// allowance and a missing balance both read "transferFrom reverted": classified as inventory (the executor
/// approves once before its first liquidation, so the balance is the usual cause).
constexpr std::pair<std::string_view, RevertKind> kMorphoMessages[] = {
    {"position is healthy", RevertKind::position_healthy},
    {"inconsistent input", RevertKind::nothing_to_liquidate},
    {"zero assets", RevertKind::nothing_to_liquidate},
    {"insufficient collateral", RevertKind::nothing_to_liquidate},
    {"market not created", RevertKind::reserve_unavailable},
    {"transferFrom reverted", RevertKind::insufficient_inventory},
    {"transferFrom returned false", RevertKind::insufficient_inventory},
    {"transfer reverted", RevertKind::insufficient_inventory},
    {"transfer returned false", RevertKind::insufficient_inventory},
    {"max uint128 exceeded", RevertKind::arithmetic},
};

/// ERC-20 messages: OpenZeppelin 4.x, DAI, Uniswap's TransferHelper and solmate's SafeTransferLib, and the
/// devnet's DevnetToken (scripts/contracts/DevnetToken.sol: "allowance", "balance"). Aave's GPv2SafeERC20 bubbles
/// the token's own revert data up, so these reach us through liquidationCall.
constexpr std::pair<std::string_view, RevertKind> kErc20Messages[] = {
    {"ERC20: transfer amount exceeds balance", RevertKind::insufficient_inventory},
    {"ERC20: burn amount exceeds balance", RevertKind::insufficient_inventory},
    {"Dai/insufficient-balance", RevertKind::insufficient_inventory},
    {"balance", RevertKind::insufficient_inventory},
    {"TransferHelper: TRANSFER_FROM_FAILED", RevertKind::insufficient_inventory},
    {"TRANSFER_FROM_FAILED", RevertKind::insufficient_inventory},
    {"STF", RevertKind::insufficient_inventory},
    {"ERC20: insufficient allowance", RevertKind::insufficient_allowance},
    {"ERC20: transfer amount exceeds allowance", RevertKind::insufficient_allowance},
    {"Dai/insufficient-allowance", RevertKind::insufficient_allowance},
    {"allowance", RevertKind::insufficient_allowance},
};

/// Aave codes a liquidationCall can revert with, and what they mean for the candidate. Other codes are named but
/// classified unknown.
RevertKind aave_kind(unsigned code) noexcept {
  switch (code) {
    case 45: return RevertKind::position_healthy;
    case 46: return RevertKind::collateral_not_liquidatable;
    case 47: return RevertKind::debt_not_borrowed;
    case 24:  // INVALID_MINT_AMOUNT (receiveAToken of a dust amount)
    case 25:  // INVALID_BURN_AMOUNT (the seized or repaid amount scales to 0)
    case 26:  // INVALID_AMOUNT
    case 43: return RevertKind::nothing_to_liquidate;  // UNDERLYING_BALANCE_ZERO
    case 27:  // RESERVE_INACTIVE
    case 28:  // RESERVE_FROZEN
    case 29:  // RESERVE_PAUSED
    case 82: return RevertKind::reserve_unavailable;  // ASSET_NOT_LISTED
    case 59: return RevertKind::price_oracle;         // PRICE_ORACLE_SENTINEL_CHECK_FAILED
    default: return RevertKind::unknown;
  }
}

const char* panic_text(const U256& code) noexcept {
  const auto c = code.to_uint64();
  if (!c) return "unknown panic";
  switch (*c) {
    case 0x00: return "generic panic";
    case 0x01: return "assertion failed";
    case 0x11: return "arithmetic overflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "invalid storage byte array";
    case 0x31: return "pop on an empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "out of memory";
    case 0x51: return "call to a zero function";
    default: return "unknown panic";
  }
}

std::optional<unsigned> decimal_code(std::string_view s) noexcept {
  if (s.empty() || s.size() > 3) return std::nullopt;
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// A revert string (from Error(string) or from the node's message).
RevertReason classify_message(std::string_view message) {
  if (const auto code = decimal_code(message)) {
    const auto name = aave_error_name(*code);
    if (!name.empty()) return {aave_kind(*code), "Aave " + std::string(message) + " " + std::string(name)};
  }
  for (const auto& [text, kind] : kMorphoMessages)
    if (message == text) return {kind, "Morpho: " + std::string(message)};
  for (const auto& [text, kind] : kErc20Messages)
    if (message == text) return {kind, "ERC-20: " + std::string(message)};
  return {RevertKind::unknown, "reverted: " + std::string(message)};
}

/// OpenZeppelin 5's ERC-20 custom errors (draft-IERC6093), the ones a transferFrom can raise.
std::optional<RevertReason> known_custom_error(const abi::Selector& selector) {
  static const auto balance = abi::selector_of("ERC20InsufficientBalance(address,uint256,uint256)");
  static const auto allowance = abi::selector_of("ERC20InsufficientAllowance(address,uint256,uint256)");
  if (selector == balance) return RevertReason{RevertKind::insufficient_inventory, "ERC20InsufficientBalance"};
  if (selector == allowance) return RevertReason{RevertKind::insufficient_allowance, "ERC20InsufficientAllowance"};
  return std::nullopt;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

/// No revert data: the node's message decides ("out of gas", "execution reverted: 45" from nodes that put the
/// reason only in the message).
RevertReason classify_node_message(std::string_view message) {
  if (contains_ci(message, "out of gas") || contains_ci(message, "gas required exceeds"))
    return {RevertKind::out_of_gas, "out of gas"};
  constexpr std::string_view kPrefix = "execution reverted: ";
  if (const auto at = message.find(kPrefix); at != std::string_view::npos)
    return classify_message(message.substr(at + kPrefix.size()));
  return {RevertKind::unknown, message.empty() ? std::string("execution reverted") : std::string(message)};
}

}  // namespace

RevertReason classify_revert(ByteView data, std::string_view node_message) {
  if (data.size() < 4) return classify_node_message(node_message);
  static const auto error_fn = abi_io::function(kErrorSignature);
  static const auto panic_fn = abi_io::function(kPanicSignature);
  abi::Selector selector;
  std::copy_n(data.begin(), 4, selector.bytes.begin());
  if (selector == error_fn.selector) {
    if (auto values = abi::decode_call(error_fn, data)) return classify_message(abi_io::string((*values)[0]));
    return {RevertKind::unknown, "malformed Error(string) " + to_hex(data)};
  }
  if (selector == panic_fn.selector) {
    if (auto values = abi::decode_call(panic_fn, data)) {
      const U256 code = abi_io::uint((*values)[0]);
      // Every panic is a math or invariant failure the book's model did not foresee.
      return {RevertKind::arithmetic, "Panic(" + code.to_hex() + ") " + panic_text(code)};
    }
    return {RevertKind::unknown, "malformed Panic(uint256) " + to_hex(data)};
  }
  if (auto known = known_custom_error(selector)) return *known;
  return {RevertKind::unknown, "custom error " + to_hex(ByteView(data.data(), 4))};
}

std::uint32_t cooldown_blocks(RevertKind kind) noexcept {
  // Blocks of 12 s. Short where the book was merely behind the chain (the next block's state decides again),
  // long where only governance can change the outcome, zero where the executor itself fixes the cause (approve,
  // more inventory, a larger gas limit) before retrying.
  switch (kind) {
    case RevertKind::position_healthy: return 2;              // re-checked after the next price change
    case RevertKind::debt_not_borrowed: return 2;             // the book's view of the account was stale
    case RevertKind::nothing_to_liquidate: return 2;          // amounts moved under us (repay, rival)
    case RevertKind::collateral_not_liquidatable: return 300; // a risk parameter (LT 0): ~1 hour
    case RevertKind::reserve_unavailable: return 300;         // paused/frozen/inactive: governance, ~1 hour
    case RevertKind::price_oracle: return 25;                 // a failing or zero feed: ~5 minutes
    case RevertKind::arithmetic: return 10;                   // a math corner the book does not model
    case RevertKind::insufficient_inventory: return 0;        // retried once the inventory covers it
    case RevertKind::insufficient_allowance: return 0;        // retried once approved
    case RevertKind::out_of_gas: return 0;                    // retried with a larger gas limit
    case RevertKind::unknown: return 10;                      // ~2 minutes: not a blanket hour
  }
  return 10;
}

const char* revert_kind_name(RevertKind kind) noexcept {
  switch (kind) {
    case RevertKind::position_healthy: return "position_healthy";
    case RevertKind::collateral_not_liquidatable: return "collateral_not_liquidatable";
    case RevertKind::debt_not_borrowed: return "debt_not_borrowed";
    case RevertKind::nothing_to_liquidate: return "nothing_to_liquidate";
    case RevertKind::reserve_unavailable: return "reserve_unavailable";
    case RevertKind::insufficient_inventory: return "insufficient_inventory";
    case RevertKind::insufficient_allowance: return "insufficient_allowance";
    case RevertKind::price_oracle: return "price_oracle";
    case RevertKind::arithmetic: return "arithmetic";
    case RevertKind::out_of_gas: return "out_of_gas";
    case RevertKind::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace sluice::plan
