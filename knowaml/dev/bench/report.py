"""The pure parts of the HTTP benchmark: wrk's output, statistics, the page mix, the table."""

import math
import re
import statistics
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def wrk_duration_ms(text):
    """wrk's '9.50ms', '812.00us', '1.02s', '2.00m' in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class Sample:
    """One measurement: a wrk run, or a series of single requests."""

    rate: float  # requests per second
    p50: float  # milliseconds
    p99: float
    requests: int = 0
    bad: int = 0  # answers that are neither 2xx nor 3xx
    errors: int = 0  # connection errors and timeouts


def parse_wrk(output):
    """A Sample from the text `wrk --latency` prints."""

    def number(pattern, default=None):
        match = re.search(pattern, output)
        if match is None:
            if default is None:
                raise ValueError(f"wrk output has no {pattern!r}:\n{output}")
            return default
        return match.group(1)

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Sample(
        rate=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50=wrk_duration_ms(number(r"\n\s+50%\s+(\S+)")),
        p99=wrk_duration_ms(number(r"\n\s+99%\s+(\S+)")),
        requests=int(number(r"(\d+) requests in")),
        bad=int(number(r"Non-2xx or 3xx responses: (\d+)", "0")),
        errors=int(errors.group(1)) + int(errors.group(4)) if errors else 0,
    )


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_sample(latencies_ms, seconds, bad=0, errors=0):
    """A Sample from individual latencies measured over ``seconds``."""
    if not latencies_ms:
        return Sample(0.0, math.nan, math.nan, 0, bad, errors)
    return Sample(
        rate=len(latencies_ms) / seconds if seconds else math.nan,
        p50=percentile(latencies_ms, 0.50),
        p99=percentile(latencies_ms, 0.99),
        requests=len(latencies_ms),
        bad=bad,
        errors=errors,
    )


@dataclass
class Result:
    """A scenario's samples over all rounds, summarised by their medians."""

    name: str
    samples: list = field(default_factory=list)
    note: str = ""
    comparable: bool = True  # measured like the static file (same wrk load)

    def median(self, attribute):
        values = [getattr(s, attribute) for s in self.samples]
        return statistics.median(values) if values else math.nan

    def total(self, attribute):
        return sum(getattr(s, attribute) for s in self.samples)


def _number(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _ms(value):
    if math.isnan(value):
        return "–"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def markdown_table(results, static_name):
    """The README table: median req/s, p50, p99, ratio to the static file, bad answers."""
    static = next((r for r in results if r.name == static_name), None)
    yardstick = static.median("rate") if static else math.nan
    lines = [
        "| scenario | req/s (median) | p50 | p99 | ÷ static | non-2xx/3xx, errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rate = result.median("rate")
        ratio = rate / yardstick if result.comparable and yardstick else math.nan
        ratio_text = "–" if math.isnan(ratio) else f"**{ratio:.2f}**"
        name = f"{result.name} ({result.note})" if result.note else result.name
        lines.append(
            f"| {name} | {_number(rate, 1 if rate < 10 else 0)} | {_ms(result.median('p50'))} "
            f"| {_ms(result.median('p99'))} | {ratio_text} "
            f"| {result.total('bad')}, {result.total('errors')} |"
        )
    return "\n".join(lines)


def site_paths(locations):
    """Paths (with query) of absolute sitemap addresses, in their order, without repeats."""
    seen, paths = set(), []
    for location in locations:
        parts = urlsplit(location.strip())
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def language_of(path):
    first = unquote(path).strip("/").split("/", 1)[0]
    return first if 2 <= len(first) <= 5 else ""


def page_mix(paths, count=50):
    """``count`` pages spread over every language and over each language's pages (home,
    sections, articles, pages, stories as the sitemap lists them), deterministically."""
    if not paths:
        raise ValueError("no pages to choose from")
    by_language = {}
    for path in paths:
        by_language.setdefault(language_of(path), []).append(path)
    languages = sorted(by_language)
    chosen = []
    for index, language in enumerate(languages):
        pool = by_language[language]
        quota = count // len(languages) + (1 if index < count % len(languages) else 0)
        quota = min(quota, len(pool))
        # Evenly spaced through the language's list, first and last included.
        step = (len(pool) - 1) / (quota - 1) if quota > 1 else 0
        chosen += [pool[round(i * step)] for i in range(quota)]
    leftovers = [p for p in paths if p not in set(chosen)]
    chosen += leftovers[: count - len(chosen)]
    return chosen
