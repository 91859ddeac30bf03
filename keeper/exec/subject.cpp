#include "keeper/exec/subject.hpp"

namespace sluice::keeper {

std::string subject_of(const book::PositionKey& key) {
  std::string out(protocol_name(key.protocol));
  out += ':';
  if (key.protocol == Protocol::morpho_blue) out += key.market.hex() + ':';
  out += to_checksum(key.account);
  return out;
}

std::optional<book::PositionKey> parse_subject(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view protocol = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  book::PositionKey key;
  if (protocol == protocol_name(Protocol::morpho_blue)) {
    key.protocol = Protocol::morpho_blue;
    const auto second = rest.find(':');
    if (second == std::string_view::npos) return std::nullopt;
    auto market = morpho::MarketId::from_hex(rest.substr(0, second));
    if (!market) return std::nullopt;
    key.market = *market;
    rest = rest.substr(second + 1);
  } else if (protocol != protocol_name(Protocol::aave_v3)) {
    return std::nullopt;
  }
  auto account = parse_address(rest);
  if (!account) return std::nullopt;
  key.account = *account;
  return key;
}

}  // namespace sluice::keeper
