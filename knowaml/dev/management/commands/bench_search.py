import copy
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from education.models import Article
from knowaml.search import indexing
from knowaml.search.evaluation import QUERIES
from knowaml.search.views import clean_query, find


class Rollback(Exception):
    pass


def timed_searches(cases):
    """Milliseconds and queries for each search, after one search per language has loaded
    the word lists (as the first search after a change does)."""
    times, queries = [], []
    for case in cases:
        _, words, _ = clean_query(case["q"])
        reset_queries()  # the query log keeps only the last 9,000
        with translation.override(case["language"]), CaptureQueriesContext(connection) as used:
            start = time.perf_counter()
            find(case["language"], " ".join(words))
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(used.captured_queries))
    return times, queries


class Command(BaseCommand):
    help = (
        "Time the site search on the demo content and on it plus --articles copies of its "
        "articles (in a transaction rolled back at the end): per search, milliseconds and "
        "database queries, for the evaluation set's queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)

    def handle(self, *args, articles, **options):
        import tomllib

        with open(QUERIES, "rb") as file:
            cases = tomllib.load(file)["query"]
        try:
            with transaction.atomic():
                if not Article.objects.exists():
                    call_command("load_demo", verbosity=0)
                    call_command("load_demo_stories", verbosity=0)
                self.report("demo content", cases)
                copies = self.copy_articles(articles)
                started = time.perf_counter()
                for article in copies:
                    indexing.index_object(article, "article")
                seconds = time.perf_counter() - started
                self.stdout.write(
                    f"indexed {articles} more articles in {seconds:.1f} s "
                    f"({seconds / articles * 1000:.0f} ms each, every language)"
                )
                self.report(f"{Article.objects.count()} articles", cases)
                raise Rollback
        except Rollback:
            pass

    def copy_articles(self, count):
        """Copies of the published articles with their own addresses, written in bulk (an
        editor's save also renders pages and records history, which is not measured here)."""
        originals = list(Article.objects.published())
        copies = []
        for n in range(count):
            article = copy.copy(originals[n % len(originals)])
            article.pk = article.id = None
            article._state = type(article._state)()
            for field in article._meta.concrete_fields:
                value = getattr(article, field.attname)
                if field.name.startswith("slug_") and value:
                    setattr(article, field.attname, f"{value}-{n}")
            copies.append(article)
        return Article.objects.bulk_create(copies, batch_size=200)

    def report(self, label, cases):
        indexing.changed()
        start = time.perf_counter()
        timed_searches(list({case["language"]: case for case in cases}.values()))
        first = (time.perf_counter() - start) * 1000
        times, queries = timed_searches(cases)
        times.sort()
        self.stdout.write(
            f"{label}: {len(cases)} searches, median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95)]:.1f} ms, slowest {times[-1]:.1f} ms; "
            f"queries per search {min(queries)}–{max(queries)}; first searches after a "
            f"change (loading the word lists) {first:.0f} ms"
        )
