#include "keeper/cli/html_page.hpp"

#include "keeper/cli/svg_chart.hpp"

#include <fmt/format.h>

namespace sluice::cli::html {

namespace {

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    "p.sub{color:#555;margin:0 0 12px}"
    "table{border-collapse:collapse;font-size:13px}"
    "th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #ddd;font-variant-numeric:tabular-nums}"
    "th{background:#f2f2f2}";

}  // namespace

std::string open_page(std::string_view title) {
  const std::string escaped = svg::escape(title);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escaped + "</title><style>" +
         kStyle + "</style></head><body>\n<h1>" + escaped + "</h1>\n";
}

std::string close_page() { return "</body></html>\n"; }

std::string section(std::string_view id, std::string_view title, const std::string& body) {
  return fmt::format(R"(<section id="{}"><h2>{}</h2>{}</section>)", id, svg::escape(title), body);
}

std::string table(const Table& t) {
  std::string out = "<table><thead><tr>";
  for (const auto& h : t.header) out += "<th>" + svg::escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + svg::escape(cell) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

}  // namespace sluice::cli::html
