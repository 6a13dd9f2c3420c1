import logging
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from education.models import Article, Page, Section
from knowaml import fragments
from knowaml.content import SOURCE_SLUG
from stories.models import Story


def page_paths(language):
    with translation.override(language):
        paths = {
            "home": reverse("education:home"),
            "section": Section.objects.first().get_absolute_url(),
            "article": Article.objects.published()
            .get(**{SOURCE_SLUG: "relapse"})
            .get_absolute_url(),
            "page": Page.objects.published().first().get_absolute_url(),
            "glossary": reverse("glossary"),
            "search": reverse("search") + "?q=remission",
            "stories": reverse("stories:list"),
        }
        story = Story.objects.published().first()
        if story:
            paths["story"] = story.get_absolute_url()
    return paths


def forget_everything():
    """Empty the shared cache and this process's kept fragments: a cold render."""
    cache.clear()
    fragments.local.clear()


class Command(BaseCommand):
    help = (
        "An in-process profile, not a load test (`make bench` measures over HTTP): public "
        "pages through the Django test client on the current database, requests per second "
        "rendered and from the page cache, each as a ratio to a static file, and database "
        "queries per render. With --profile: milliseconds per render, page cache off, with "
        "warm fragments and cold (every cache emptied before each render)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=2.0, help="Time per page.")
        parser.add_argument("--language", action="append", help="Languages (default en, ar).")
        parser.add_argument(
            "--profile", action="store_true", help="Milliseconds per render, warm and cold."
        )
        parser.add_argument("--rounds", type=int, default=5, help="Rounds for --profile.")
        parser.add_argument("--renders", type=int, default=50, help="Renders per round.")

    def measure(self, client, path, seconds):
        client.get(path)  # warm caches, as in production
        timings = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}; load the demo first")
        return len(timings) / sum(timings), statistics.median(timings) * 1000

    def queries(self, client, path):
        reset_queries()
        with override_settings(DEBUG=True):
            client.get(path)
            return len(connection.queries)

    def timed(self, client, path, renders, before=None):
        """The median milliseconds of ``renders`` requests, ``before()`` run untimed first."""
        timings = []
        for _ in range(renders):
            if before:
                before()
            start = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}; load the demo first")
        return statistics.median(timings) * 1000

    def profile(self, languages, rounds, renders, without_cache):
        """Rounds alternate the pages; each figure is the median of the rounds' medians."""
        cold_renders = max(renders // 5, 3)
        with override_settings(MIDDLEWARE=without_cache):
            client = Client(HTTP_HOST="127.0.0.1")
            client.get("/static/css/site.css")  # builds the middleware as configured
            paths = [
                (name, code, path)
                for code in languages
                for name, path in page_paths(code).items()
                if name in {"home", "article", "section", "story"}
            ]
            static, warm, cold = [], {}, {}
            # Without the development server's query log, as in production.
            with override_settings(DEBUG=False):
                for _ in range(rounds):
                    static.append(self.timed(client, "/static/css/site.css", renders))
                    for _name, _code, path in paths:
                        client.get(path)
                        warm.setdefault(path, []).append(self.timed(client, path, renders))
                        cold.setdefault(path, []).append(
                            self.timed(client, path, cold_renders, forget_everything)
                        )
        static_ms = statistics.median(static)
        self.stdout.write(
            f"In-process profile, page cache off, median of {rounds} rounds "
            f"({renders} warm and {cold_renders} cold renders per page and round)."
        )
        self.stdout.write(f"static file: {static_ms:.2f} ms (the yardstick = 1.00)")
        self.stdout.write(f"{'page':<10}{'lang':<5}{'warm ms':>9}{'ratio':>7}{'cold ms':>9}")
        for name, code, path in paths:
            warm_ms, cold_ms = statistics.median(warm[path]), statistics.median(cold[path])
            self.stdout.write(
                f"{name:<10}{code:<5}{warm_ms:9.2f}{static_ms / warm_ms:7.2f}{cold_ms:9.2f}"
            )

    def handle(self, *args, seconds, language, profile, rounds, renders, **options):
        without_cache = [m for m in settings.MIDDLEWARE if m not in settings.PAGE_CACHE_MIDDLEWARE]
        if profile:
            logging.getLogger("knowaml.requests").setLevel(logging.WARNING)  # one line a request
            return self.profile(language or ["en", "ar"], rounds, renders, without_cache)
        with_cache = [*without_cache[:2], *settings.PAGE_CACHE_MIDDLEWARE, *without_cache[2:]]
        with override_settings(MIDDLEWARE=without_cache):
            rendered = Client(HTTP_HOST="127.0.0.1")
            static_rate, _ = self.measure(rendered, "/static/css/site.css", seconds)
        with override_settings(MIDDLEWARE=with_cache):
            cached = Client(HTTP_HOST="127.0.0.1")
            cached.get("/static/css/site.css")
        self.stdout.write(f"static file: {static_rate:.0f} req/s (the yardstick = 1.00)")
        self.stdout.write(
            f"{'page':<10}{'lang':<5}{'rendered/s':>11}{'ratio':>7}{'ms':>6}{'queries':>8}"
            f"{'cached/s':>10}{'ratio':>7}"
        )
        for code in language or ["en", "ar"]:
            for name, path in page_paths(code).items():
                with override_settings(MIDDLEWARE=without_cache):
                    rate, median = self.measure(rendered, path, seconds)
                    queries = self.queries(rendered, path)
                with override_settings(MIDDLEWARE=with_cache):
                    hit_rate, _ = self.measure(cached, path, seconds)
                self.stdout.write(
                    f"{name:<10}{code:<5}{rate:11.0f}{rate / static_rate:7.2f}{median:6.1f}"
                    f"{queries:8d}{hit_rate:10.0f}{hit_rate / static_rate:7.2f}"
                )
