#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/raw_args.hpp"
#include "keeper/cli/rlp_text.hpp"
#include "keeper/cli/stdin_input.hpp"

#include <cstdio>
#include <memory>
#include <string>

namespace sluice::cli {

void add_chain_rlp_commands(CLI::App& chain) {
  struct ToRlp {
    std::string value;
  };
  auto to = std::make_shared<ToRlp>();
  CLI::App* to_rlp = chain.add_subcommand(
      "to-rlp", "RLP-encode hex data or a JSON array of hex strings, nested at will (output as cast to-rlp)");
  CLI::Option* to_value =
      to_rlp->add_option("value", to->value, "Hex like 0x1234, or JSON like [\"0x12\",[\"0x\"]]; stdin if absent");
  to_rlp->callback([to, to_value] {
    const std::string text = positional_or_stdin_line(*to_value, to->value);
    std::puts(value_or_fail(to_rlp_text(text), "to-rlp").c_str());
  });

  struct FromRlp {
    std::string value;
    bool as_int = false;
  };
  auto from = std::make_shared<FromRlp>();
  CLI::App* from_rlp =
      chain.add_subcommand("from-rlp", "Decode RLP hex data to nested JSON-like hex strings (output as cast from-rlp)");
  CLI::Option* from_value = from_rlp->add_option("value", from->value, "RLP as hex; stdin if absent");
  from_rlp->add_flag("--as-int", from->as_int, "Decode the first item as an unsigned integer, printed in decimal");
  from_rlp->callback([from, from_value] {
    const std::string hex = positional_or_stdin_line(*from_value, from->value);
    std::puts(value_or_fail(from_rlp_text(hex, from->as_int), "from-rlp").c_str());
  });
}

}  // namespace sluice::cli
