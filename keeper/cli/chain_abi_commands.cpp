#include "keeper/cli/chain_abi.hpp"
#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/cli_error.hpp"

#include <cstdio>
#include <memory>

namespace sluice::cli {
namespace {

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

void add_chain_abi_commands(CLI::App& chain) {
  {
    auto signature = std::make_shared<std::string>();
    CLI::App* sig = chain.add_subcommand("sig", "Get the selector for a function");
    sig->add_option("signature", *signature, "The function signature, e.g. transfer(address,uint256)")->required();
    sig->callback([signature] { print(abi_sig(*signature)); });
  }
  {
    // Like cast (clap with trailing var args): options are recognised up to the first argument after the
    // signature, then everything is a value, so negative numbers and strings starting with '-' pass through.
    CLI::App* encode = chain.add_subcommand("abi-encode", "ABI encode the given function arguments, excluding the selector");
    auto packed = std::make_shared<bool>(false);
    encode->add_flag("--packed", *packed, "Whether to use packed encoding");
    encode->prefix_command();
    encode->callback([encode, packed] {
      std::vector<std::string> rest = encode->remaining();
      std::size_t i = 0;
      if (i < rest.size() && rest[i] == "--") ++i;
      if (i >= rest.size()) throw CliError("the signature is required: abi-encode <SIG> [ARGS]...");
      const std::string signature = rest[i++];
      bool is_packed = *packed;
      while (i < rest.size() && rest[i] == "--packed") {
        is_packed = true;
        ++i;
      }
      if (i < rest.size() && rest[i] == "--") ++i;
      print(abi_encode(signature, std::vector<std::string>(rest.begin() + static_cast<std::ptrdiff_t>(i), rest.end()),
                       is_packed));
    });
  }
  {
    struct DecodeArgs {
      std::string signature;
      std::string data;
      bool input = false;
    };
    auto args = std::make_shared<DecodeArgs>();
    CLI::App* decode = chain.add_subcommand("abi-decode", "Decode ABI-encoded output (or, with --input, input) data");
    decode->add_option("signature", args->signature, "The function signature `<name>(<in-types>)(<out-types>)`")
        ->required();
    decode->add_option("calldata", args->data, "The ABI-encoded data, without selector")->required();
    decode->add_flag("-i,--input", args->input, "Decode the input types instead of the output types");
    decode->callback([args] { print(abi_decode(args->signature, args->data, args->input)); });
  }
}

}  // namespace sluice::cli
