/// sluice: a liquidation keeper for Ethereum lending protocols.

#include "keeper/cli/backtest_command.hpp"
#include "keeper/cli/cascade_command.hpp"
#include "keeper/cli/chain_commands.hpp"
#include "keeper/cli/cli_error.hpp"
#include "keeper/cli/raw_args.hpp"
#include "keeper/cli/run_command.hpp"
#include "keeper/cli/scan_command.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  CLI::App app{"sluice: a liquidation keeper for Ethereum lending protocols (Aave v3, Morpho Blue)", "sluice"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sluice 0.1.0");
  sluice::cli::add_chain_commands(app);
  sluice::cli::add_scan_command(app);
  sluice::cli::add_cascade_command(app);
  sluice::cli::add_run_command(app);
  sluice::cli::add_backtest_command(app);
  sluice::cli::remember_argv(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line naming what was wrong, exit code 2 (usage error), as for any bad input.
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const sluice::cli::CliError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
