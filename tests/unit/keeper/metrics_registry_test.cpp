#include "keeper/metrics/keeper_metrics.hpp"
#include "keeper/metrics/registry.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <thread>

using namespace sluice::keeper::metrics;

// Expected texts below follow the exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format) and the Go client's
// rendering of values (prometheus/common expfmt writeFloat: strconv.FormatFloat(v, 'g', -1, 64), i.e. the shortest
// round-trip digits, exponent form when the decimal exponent is < -4 or >= 6, at least two exponent digits).

TEST_CASE("metrics: sample values are formatted as the Go client does") {
  CHECK(format_float(0) == "0");
  CHECK(format_float(-0.0) == "0");
  CHECK(format_float(1) == "1");
  CHECK(format_float(-1) == "-1");
  CHECK(format_float(0.1) == "0.1");
  CHECK(format_float(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_float(-3.5) == "-3.5");
  CHECK(format_float(123456) == "123456");
  CHECK(format_float(999999) == "999999");
  CHECK(format_float(1e6) == "1e+06");
  CHECK(format_float(1234567) == "1.234567e+06");
  CHECK(format_float(1.458255915e9) == "1.458255915e+09");
  CHECK(format_float(1e21) == "1e+21");
  CHECK(format_float(1e100) == "1e+100");
  CHECK(format_float(0.0001) == "0.0001");
  CHECK(format_float(0.00025) == "0.00025");
  CHECK(format_float(0.00001) == "1e-05");
  CHECK(format_float(2.5e-7) == "2.5e-07");
  CHECK(format_float(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_float(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_float(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("metrics: label values escape backslash, quote and line feed; HELP escapes backslash and line feed") {
  CHECK(escape_label_value(R"(C:\DIR\FILE.TXT)") == R"(C:\\DIR\\FILE.TXT)");
  CHECK(escape_label_value("Cannot find file:\n\"FILE.TXT\"") == R"(Cannot find file:\n\"FILE.TXT\")");
  CHECK(escape_help("a \"quoted\" \\ help\nline") == R"(a "quoted" \\ help\nline)");
}

TEST_CASE("metrics: counters and gauges render with HELP and TYPE once per name, series sorted by labels") {
  Registry r;
  // The spec's counter example: label order in the call does not matter, output labels are sorted by name.
  r.counter("http_requests_total", "The total number of HTTP requests.", {{"method", "post"}, {"code", "400"}})
      .inc(3);
  r.counter("http_requests_total", "The total number of HTTP requests.", {{"code", "200"}, {"method", "post"}})
      .inc(1027);
  // The spec's escaping example (its value written the Go client's way).
  r.gauge("msdos_file_access_time_seconds", "", {{"path", R"(C:\DIR\FILE.TXT)"}, {"error", "Cannot find file:\n\"FILE.TXT\""}})
      .set(1.458255915e9);
  auto& g = r.gauge("a_gauge", "Help with \\ and\nnewline");
  g.set(2);
  g.add(-0.5);
  CHECK(r.render() ==
        "# HELP a_gauge Help with \\\\ and\\nnewline\n"
        "# TYPE a_gauge gauge\n"
        "a_gauge 1.5\n"
        "# HELP http_requests_total The total number of HTTP requests.\n"
        "# TYPE http_requests_total counter\n"
        "http_requests_total{code=\"200\",method=\"post\"} 1027\n"
        "http_requests_total{code=\"400\",method=\"post\"} 3\n"
        "# HELP msdos_file_access_time_seconds \n"
        "# TYPE msdos_file_access_time_seconds gauge\n"
        "msdos_file_access_time_seconds{error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\",path=\"C:\\\\DIR\\\\FILE.TXT\"} "
        "1.458255915e+09\n");
}

TEST_CASE("metrics: a histogram renders cumulative buckets with inclusive le, +Inf, _sum and _count") {
  Registry r;
  auto& h = r.histogram("http_request_duration_seconds", "A histogram of the request duration.",
                        {0.05, 0.1, 0.2, 0.5, 1}, {{"handler", "/metrics"}});
  for (double v : {0.5, 0.125, 0.0625, 2.0}) h.observe(v);  // binary-exact: the sum is exactly 2.6875
  CHECK(r.render() ==
        "# HELP http_request_duration_seconds A histogram of the request duration.\n"
        "# TYPE http_request_duration_seconds histogram\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"0.05\"} 0\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"0.1\"} 1\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"0.2\"} 2\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"0.5\"} 3\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"1\"} 3\n"
        "http_request_duration_seconds_bucket{handler=\"/metrics\",le=\"+Inf\"} 4\n"
        "http_request_duration_seconds_sum{handler=\"/metrics\"} 2.6875\n"
        "http_request_duration_seconds_count{handler=\"/metrics\"} 4\n");
  CHECK(h.bucket_counts() == std::vector<std::uint64_t>{0, 1, 1, 1, 0, 1});
  CHECK(h.count() == 4);
  CHECK(h.sum() == 2.6875);

  Registry small;
  auto& t = small.histogram("t", "tiny", {1e-5, 1e6, std::numeric_limits<double>::infinity()});
  CHECK(t.upper_bounds() == std::vector<double>{1e-5, 1e6});  // the trailing +Inf is implicit
  t.observe(std::numeric_limits<double>::quiet_NaN());         // NaN goes to +Inf, as the Go client
  CHECK(small.render() ==
        "# HELP t tiny\n# TYPE t histogram\n"
        "t_bucket{le=\"1e-05\"} 0\nt_bucket{le=\"1e+06\"} 0\nt_bucket{le=\"+Inf\"} 1\nt_sum NaN\nt_count 1\n");
}

TEST_CASE("metrics: the same name and labels give the same object; misuse is refused") {
  Registry r;
  auto& a = r.counter("c_total", "c", {{"x", "1"}, {"y", "2"}});
  auto& b = r.counter("c_total", "c", {{"y", "2"}, {"x", "1"}});
  CHECK(&a == &b);
  CHECK(&a != &r.counter("c_total", "c", {{"x", "2"}, {"y", "2"}}));
  a.inc();
  a.inc(2.5);
  a.inc(-1);  // ignored: counters only go up
  a.inc(std::numeric_limits<double>::quiet_NaN());
  CHECK(b.value() == 3.5);
  CHECK_THROWS_AS(r.gauge("c_total", "c"), std::invalid_argument);  // another type
  CHECK_THROWS_AS(r.counter("0bad", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("ok", "x", {{"__reserved", "v"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.counter("ok", "x", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.histogram("h", "x", {1, 2}, {{"le", "1"}}), std::invalid_argument);
  CHECK_THROWS_AS(r.histogram("h2", "x", {2, 1}), std::invalid_argument);
  r.histogram("h3", "x", {1, 2});
  CHECK_THROWS_AS(r.histogram("h3", "x", {1, 3}), std::invalid_argument);
  CHECK_NOTHROW(r.histogram("h3", "x", {1, 2, std::numeric_limits<double>::infinity()}));
  CHECK_NOTHROW(r.counter("ns:sub_total", "colons are allowed in metric names"));
}

TEST_CASE("metrics: Histogram::quantile follows PromQL histogram_quantile (hand-computed)") {
  Histogram h({1, 2, 4});
  CHECK(h.quantile(0.5) == 0.0);  // no observations
  for (double v : {0.5, 0.5, 1.5, 1.5, 3.0, 3.0, 3.0, 3.0, 10.0, 10.0}) h.observe(v);
  // Cumulative counts: le=1: 2, le=2: 4, le=4: 8, +Inf: 10.
  CHECK(h.quantile(0.5) == doctest::Approx(2.5));  // rank 5 in (2,4]: 2 + 2 * (5-4)/4
  CHECK(h.quantile(0.1) == doctest::Approx(0.5));  // rank 1 in (0,1]: the lowest bucket starts at 0
  CHECK(h.quantile(0.4) == doctest::Approx(2.0));  // rank 4 in (1,2]: 1 + 1 * (4-2)/2
  CHECK(h.quantile(0.0) == 0.0);
  CHECK(h.quantile(0.9) == 4.0);  // rank 9 falls in +Inf: the highest finite bound
  CHECK(h.quantile(1.0) == 4.0);
  CHECK(h.quantile(-0.1) == -std::numeric_limits<double>::infinity());
  CHECK(h.quantile(1.5) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(h.quantile(std::numeric_limits<double>::quiet_NaN())));

  Histogram negative({-1, 0, 1});
  negative.observe(-2);
  negative.observe(0.5);
  CHECK(negative.quantile(0.5) == -1.0);  // rank 1 in the lowest bucket whose bound is <= 0: that bound
  CHECK(negative.quantile(0.75) == doctest::Approx(0.5));  // rank 1.5 in (0,1]: 0 + 1 * (1.5-1)/1
}

TEST_CASE("metrics: updates from several threads are all counted") {
  Registry r;
  auto& c = r.counter("n_total", "n");
  auto& h = r.histogram("lat", "l", latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.001);
      }
    });
  for (auto& t : threads) t.join();
  CHECK(c.value() == 40000);
  CHECK(h.count() == 40000);
  CHECK(h.bucket_counts()[3] == 40000);  // 0.001 is the fourth bound, inclusive
}

TEST_CASE("metrics: KeeperMetrics registers every named metric and one stage histogram per stage") {
  Registry r;
  KeeperMetrics m(r);
  m.heads.inc();
  m.stage(Stage::sent, 0.0003);
  m.reverts("position_healthy").inc();
  m.skipped("unprofitable").inc(2);
  CHECK(&m.reverts("position_healthy") == &m.reverts("position_healthy"));
  CHECK(m.stage_histogram(Stage::sent).count() == 1);
  CHECK(m.stage_histogram(Stage::included).count() == 0);
  const auto text = r.render();
  for (const char* line : {"sluice_heads_total 1\n", "sluice_logs_total 0\n", "sluice_opportunities_total 0\n",
                           "sluice_liquidations_sent_total 0\n", "sluice_dry_run_transactions_total 0\n",
                           "sluice_liquidations_won_total 0\n", "sluice_liquidations_lost_total 0\n",
                           "sluice_replacements_total 0\n", "sluice_cancels_total 0\n", "sluice_profit_usd_total 0\n",
                           "sluice_head_block 0\n", "sluice_in_flight_transactions 0\n", "sluice_positions 0\n",
                           "sluice_reverts_total{reason=\"position_healthy\"} 1\n",
                           "sluice_skipped_total{reason=\"unprofitable\"} 2\n",
                           "sluice_stage_seconds_bucket{stage=\"sent\",le=\"0.0005\"} 1\n",
                           "sluice_stage_seconds_count{stage=\"book_updated\"} 0\n",
                           "sluice_stage_seconds_count{stage=\"included\"} 0\n"})
    CHECK_MESSAGE(text.find(line) != std::string::npos, line);
  CHECK(text.find("# TYPE sluice_stage_seconds histogram\n") != std::string::npos);
  CHECK(std::string(stage_name(Stage::signed_)) == "signed");
}
