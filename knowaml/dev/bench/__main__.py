"""`make bench`: Know AML under real load, over HTTP, as visitors meet it.

Production settings under gunicorn (deploy/gunicorn.conf.py, sync workers) with Redis and
SQLite holding the demo content, driven over loopback by wrk; rounds alternate the
scenarios, and each is reported as its median over the rounds.
"""

import argparse
import datetime
import os
import platform
import re
import signal
import subprocess
import sys
import time

from tests.production.stack import ROOT

from . import load
from .report import Result, markdown_table, page_mix, site_paths
from .site import BenchSite, StackError

STATIC = "static file (site.css, WhiteNoise)"
CACHED_ARTICLE = "cached article (Relapse)"
UNCACHED_ARTICLE = "uncached article (page cache off, fragments warm)"
MARK = " (Checked by the editor.)"
# The editor's report of one save (its other output is the site's log).
SAVE_LINE = re.compile(r"\d+\.\d+ \d+\.\d+")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s: a smoke run")
    parser.add_argument("--rounds", type=int, help="alternated rounds (default 5)")
    parser.add_argument("--seconds", type=float, help="wrk seconds per scenario (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--cold", type=int, help="cold renders per round (default 4)")
    parser.add_argument("--stampede-seconds", type=float, help="open-loop run (default 60)")
    parser.add_argument("--save-every", type=float, help="editor's saves, s (default 10)")
    parser.add_argument("--pages", type=int, default=50, help="pages in the stampede mix")
    parser.add_argument("--rate", type=float, help="stampede req/s (default 2 × uncached)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)
    quick = {"rounds": 1, "seconds": 1, "cold": 2, "stampede_seconds": 5, "save_every": 2}
    full = {"rounds": 5, "seconds": 5, "cold": 4, "stampede_seconds": 60, "save_every": 10}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.rounds < 1 or args.seconds < 1 or args.connections < 1:
        parser.error("--rounds, --seconds and --connections must be at least 1")
    return args


def say(text=""):
    print(text, flush=True)


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    def output(*argv):
        try:
            result = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
            return result.stdout.strip()
        except OSError:
            return "?"

    commit = output("git", "rev-parse", "--short", "HEAD")
    dirty = " (+ uncommitted changes)" if output("git", "status", "--porcelain", "--", ".") else ""
    return [
        f"Machine: {model}, {os.cpu_count()} cores; {platform.system()} {platform.release()}",
        f"Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{output('redis-server', '--version').split(' sha=')[0]}, "
        f"{output('wrk', '--version').split(' Copyright')[0] or 'wrk'}",
        f"Commit: {commit}{dirty}",
    ]


def load_average():
    return "Load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


class Bench:
    def __init__(self, site, args):
        self.site, self.args = site, args
        self.paths = {}
        self.results = {}

    def scenarios(self):
        """(name, instance, path) measured with wrk in each round."""
        paths = self.paths
        return [
            (STATIC, "cached", paths["static"]),
            (CACHED_ARTICLE, "cached", paths["article"]),
            ("cached home", "cached", paths["home"]),
            ("search (page cache on)", "cached", paths["search"]),
            (UNCACHED_ARTICLE, "uncached", paths["article"]),
            ("uncached home (page cache off)", "uncached", paths["home"]),
        ]

    def discover(self):
        sitemap = site_paths(self.site.sitemap_paths())
        article = next((p for p in sitemap if p.startswith("/en/") and "/relapse/" in p), None)
        if article is None:
            raise StackError("the English Relapse article is not in the sitemap")
        self.paths = {
            "static": self.site.static_css(),
            "article": article,
            "home": "/en/",
            "search": "/en/search/?q=relapse",
        }
        self.mix = page_mix(sitemap, self.args.pages)
        languages = sorted({p.split("/")[1] for p in self.mix})
        say(
            f"  {len(sitemap)} pages in the sitemap; stampede mix: {len(self.mix)} pages in "
            f"{', '.join(languages)}"
        )

    def warm(self):
        for _, instance, path in self.scenarios():
            for _ in range(2):
                status, _, _ = self.site.get(instance, path, {"Accept-Encoding": "br, gzip"})
                if not 200 <= status < 300:
                    raise StackError(f"{instance} {path} answered {status}")

    def sizes(self):
        lines = []
        for name, instance, path in self.scenarios()[:4]:
            for encoding in ("br, gzip", "gzip", "identity"):
                _, headers, body = self.site.get(instance, path, {"Accept-Encoding": encoding})
                used = headers.get("Content-Encoding", "none")
                lines.append(f"  {name}, Accept-Encoding {encoding}: {len(body):,} bytes ({used})")
        return lines

    def add(self, name, sample, **kwargs):
        result = self.results.setdefault(name, Result(name, **kwargs))
        result.samples.append(sample)
        return sample

    def cold(self):
        def flush():
            self.site.redis("flushall")

        fetch = lambda path: self.site.get("uncached", path, {"Accept-Encoding": "br, gzip"})  # noqa: E731
        sample = load.sequential(fetch, self.paths["article"], self.args.cold, before=flush)
        note = "Redis flushed before each request, one client"
        self.add("cold render, article", sample, note=note, comparable=False)
        self.warm()
        return sample

    def rounds(self):
        args = self.args
        scenarios = self.scenarios()
        for number in range(args.rounds):
            shift = number % len(scenarios)  # each scenario takes each place in turn
            say(f"Round {number + 1}/{args.rounds}")
            for name, instance, path in scenarios[shift:] + scenarios[:shift]:
                url = self.site.url(instance, path)
                sample = self.add(name, load.wrk(url, args.seconds, connections=args.connections))
                say(
                    f"  {name}: {sample.rate:,.0f} req/s, p50 {sample.p50:.1f} ms, "
                    f"p99 {sample.p99:.1f} ms"
                )
            sample = self.cold()
            say(f"  cold render: p50 {sample.p50:.1f} ms, p99 {sample.p99:.1f} ms")

    def stampede(self):
        args = self.args
        capacity = self.results[UNCACHED_ARTICLE].median("rate")
        rate = self.args.rate or max(10.0, 2 * capacity)
        for path in self.mix:  # a busy day: every page already in the cache
            self.site.get("cached", path, {"Accept-Encoding": "br, gzip"})
        editor = self.site.editor(args.save_every, args.stampede_seconds)
        try:
            if editor.stdout.readline().strip() != "ready":
                raise StackError(f"the editor did not start:\n{editor.stderr.read()[-2000:]}")
            say(
                f"Stampede: {rate:,.0f} req/s open loop (2 × uncached capacity, or --rate) for "
                f"{args.stampede_seconds:g} s over {len(self.mix)} pages, "
                f"editor saving every {args.save_every:g} s"
            )
            sample, results = load.open_loop(
                self.site.ports["cached"], self.mix, rate, args.stampede_seconds
            )
            lines = editor.communicate(timeout=60)[0].splitlines()
            saves = [line.split() for line in lines if SAVE_LINE.fullmatch(line)]
        finally:
            if editor.poll() is None:
                editor.kill()
        server_errors = sum(1 for status, _ in results if status >= 500)
        slowest_save = max((float(s[1]) for s in saves), default=0.0)
        note = (
            f"open loop {rate:,.0f} req/s, {len(self.mix)} pages, {len(saves)} saves; "
            f"5xx: {server_errors}"
        )
        self.add("stampede", sample, note=note, comparable=False)
        _, _, body = self.site.get("cached", self.paths["article"])
        shows_mark = MARK.strip().encode() in body
        fresh = shows_mark == (len(saves) % 2 == 1)
        return [
            f"  {sample.requests:,} requests, {sample.bad} non-2xx/3xx ({server_errors} 5xx), "
            f"{sample.errors} connection errors or timeouts; "
            f"slowest {max(ms for _, ms in results):,.0f} ms",
            f"  editor: {len(saves)} saves, slowest {slowest_save * 1000:.0f} ms; "
            f"article after the last save: {'current' if fresh else 'STALE'}",
        ]


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = parse_args(argv)
    # Ctrl-C, and a TERM from make or a CI runner, both stop every process cleanly.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    started = time.monotonic()
    info = machine()
    for line in info:
        say(line)
    say(load_average())
    site = BenchSite(workers=args.workers, keep=args.keep)
    try:
        say(f"Setting up in {site.tmp}")
        site.prepare(say)
        bench = Bench(site, args)
        bench.discover()
        bench.warm()
        sizes = bench.sizes()
        bench.rounds()
        stampede = bench.stampede()
    except KeyboardInterrupt:
        say("Interrupted; stopping.")
        return 130
    except StackError as error:
        say(f"Failed: {error}")
        return 1
    finally:
        site.stop()
    minutes = (time.monotonic() - started) / 60
    say()
    say(
        f"{args.rounds} alternated rounds; wrk -t2 -c{args.connections} -d{args.seconds:g}s "
        f"--latency with Accept-Encoding: br, gzip; gunicorn -w {args.workers} (sync) per "
        f"instance; {minutes:.1f} min in all."
    )
    say()
    for line in info:
        say(f"{line}  ")
    say()
    say(markdown_table(list(bench.results.values()), STATIC))
    say()
    say(f"{load_average()} at the end (other work on the machine skews every number).")
    say()
    say("Stampede:")
    for line in stampede:
        say(line)
    say("Response sizes:")
    for line in sizes:
        say(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
