#pragma once
/// The pieces every self-contained HTML report shares (`sluice cascade --html`, `sluice backtest --html`): the
/// document head with its inline CSS, sections and tables. No scripts, no external fonts, no network. Pure.

#include "keeper/cli/cascade_report.hpp"

#include <string>
#include <string_view>

namespace sluice::cli::html {

/// "<!DOCTYPE html>..." through "<body>\n" and the page's <h1>: `title` escaped.
std::string open_page(std::string_view title);
/// "</body></html>\n".
std::string close_page();
/// `<section id="id"><h2>title</h2>body</section>`: `title` escaped, `body` as is (already HTML).
std::string section(std::string_view id, std::string_view title, const std::string& body);
/// A table of escaped cells with a header row.
std::string table(const Table& t);

}  // namespace sluice::cli::html
