"""`make bench`'s pure parts: its options, wrk's output, the statistics, the page mix and
the README table. The benchmark itself needs Redis and wrk and runs only by hand."""

import math

import pytest

from knowaml.dev.bench.__main__ import parse_args
from knowaml.dev.bench.report import (
    Result,
    Sample,
    latency_sample,
    markdown_table,
    page_mix,
    parse_wrk,
    percentile,
    site_paths,
    wrk_duration_ms,
)

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:41234/en/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    30.12ms    5.20ms 120.00ms   91.00%
    Req/Sec   520.11     40.00   600.00     70.00%
  Latency Distribution
     50%   29.50ms
     75%   31.00ms
     90%   35.00ms
     99%    1.02s
  5201 requests in 5.00s, 32.10MB read
  Socket errors: connect 2, read 40, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   1040.20
Transfer/sec:      6.42MB
"""


def test_quick_is_one_short_round_and_full_is_five_rounds_of_five_seconds():
    quick = parse_args(["--quick"])
    assert (quick.rounds, quick.seconds) == (1, 1)
    full = parse_args([])
    assert (full.rounds, full.seconds, full.stampede_seconds, full.save_every) == (5, 5, 60, 10)
    assert full.pages == 50 and full.workers == 2
    assert parse_args(["--quick", "--rounds", "3"]).rounds == 3


def test_nonsense_options_are_refused():
    with pytest.raises(SystemExit):
        parse_args(["--rounds", "0"])


def test_wrk_output_is_read_with_its_units():
    sample = parse_wrk(WRK_OUTPUT)
    assert sample.rate == pytest.approx(1040.20)
    assert sample.p50 == pytest.approx(29.5)
    assert sample.p99 == pytest.approx(1020.0)
    assert sample.requests == 5201
    assert sample.bad == 7
    assert sample.errors == 5  # connect + timeout; read errors are closed connections
    assert wrk_duration_ms("812.00us") == pytest.approx(0.812)
    assert wrk_duration_ms("2.00m") == pytest.approx(120_000)


def test_a_clean_wrk_run_has_no_bad_answers_and_no_errors():
    clean = WRK_OUTPUT.replace("  Socket errors: connect 2, read 40, write 0, timeout 3\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 7\n", "")
    sample = parse_wrk(clean)
    assert (sample.bad, sample.errors) == (0, 0)


def test_percentiles_and_rates_from_single_latencies():
    latencies = [float(n) for n in range(1, 101)]
    assert percentile(latencies, 0.5) == 50
    assert percentile(latencies, 0.99) == 99
    sample = latency_sample(latencies, seconds=10.0, bad=1, errors=2)
    assert (sample.rate, sample.p50, sample.p99, sample.requests) == (10.0, 50, 99, 100)
    assert math.isnan(latency_sample([], 1.0).p50)


def test_the_table_gives_medians_and_the_ratio_to_the_static_file():
    static = Result("static file", [Sample(r, 1.0, 2.0) for r in (900, 1000, 5000)])
    cached = Result("cached article", [Sample(r, 3.0, 9.0, bad=1) for r in (450, 500, 10)])
    stampede = Result("stampede", [Sample(200, 40.0, 900.0)], note="open loop", comparable=False)
    table = markdown_table([static, cached, stampede], "static file").splitlines()
    assert table[0].startswith("| scenario | req/s (median) | p50 | p99 | ÷ static |")
    assert table[2] == "| static file | 1,000 | 1.0 ms | 2.0 ms | **1.00** | 0, 0 |"
    assert table[3] == "| cached article | 450 | 3.0 ms | 9.0 ms | **0.45** | 3, 0 |"
    assert table[4] == "| stampede (open loop) | 200 | 40.0 ms | 900 ms | – | 0, 0 |"


def sitemap(languages=("en", "es", "fr", "de", "ar"), pages=20):
    locations = [
        f"https://knowaml.example/{code}/article-{n}/" for code in languages for n in range(pages)
    ]
    return locations + locations[:3]  # repeats, as sitemaps of several kinds may list


def test_sitemap_addresses_become_paths_once_each():
    paths = site_paths(sitemap(pages=2))
    assert paths[:2] == ["/en/article-0/", "/en/article-1/"]
    assert len(paths) == len(set(paths)) == 10
    assert site_paths(["https://x.example/en/search/?q=a"]) == ["/en/search/?q=a"]


def test_the_page_mix_spreads_fifty_pages_over_every_language_and_its_pages():
    mix = page_mix(site_paths(sitemap()), 50)
    assert len(mix) == len(set(mix)) == 50
    for code in ("en", "es", "fr", "de", "ar"):
        mine = [p for p in mix if p.startswith(f"/{code}/")]
        assert len(mine) == 10
        # First and last of the language's list, not just its first ten.
        assert mine[0] == f"/{code}/article-0/" and mine[-1] == f"/{code}/article-19/"
    assert page_mix(site_paths(sitemap()), 50) == mix  # the same mix every run


def test_a_small_language_leaves_its_share_to_the_others():
    paths = site_paths(sitemap(("en",), 40) + sitemap(("ar",), 3))
    mix = page_mix(paths, 20)
    assert len(mix) == len(set(mix)) == 20
    assert sum(p.startswith("/ar/") for p in mix) == 3


def test_a_mix_larger_than_the_site_takes_every_page():
    paths = site_paths(sitemap(("en",), 5))
    assert sorted(page_mix(paths, 50)) == sorted(paths)
