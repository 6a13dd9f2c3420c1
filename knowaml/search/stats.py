"""What people search for, counted per language and query: nothing about who searched.

The search view names its language and result count in a response header, which the page
cache keeps, so cached answers count too; this middleware (outside the page cache) takes the
header off, adds the search to a per-process tally and writes the tally about once a minute.
"""

import logging
import re
import threading
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import SearchCount

RESULTS_HEADER = "X-Search-Results"
# Searches that may identify someone (an address, a phone or record number) are not kept.
PERSONAL = re.compile(r"@|\d{5,}")
MAX_KEPT_LENGTH = 100
logger = logging.getLogger(__name__)
_tally = {}
_lock = threading.Lock()
_last_written = [time.monotonic()]


def record(language, typed, query, results):
    """``typed`` as the visitor wrote it, ``query`` as search read it."""
    if not query or len(query) > MAX_KEPT_LENGTH or PERSONAL.search(typed):
        return
    with _lock:
        searches, _ = _tally.get((language, query), (0, 0))
        _tally[(language, query)] = (searches + 1, results)
        due = time.monotonic() - _last_written[0] >= settings.SEARCH_STATS_SECONDS
    if due:
        write()


def write():
    """Add the tally to the database; a failure loses at most a minute of counts."""
    with _lock:
        tally = dict(_tally)
        _tally.clear()
        _last_written[0] = time.monotonic()
    if not tally:
        return
    today = timezone.localdate()
    try:
        with transaction.atomic():
            kept = {
                (row.language, row.query): row
                for row in SearchCount.objects.select_for_update().filter(
                    query__in={query for _, query in tally}
                )
            }
            new = []
            for (language, query), (searches, results) in tally.items():
                row = kept.get((language, query))
                if row is None:
                    new.append(SearchCount(language=language, query=query, last_searched=today))
                    row = new[-1]
                row.searches += searches
                row.results = results
                row.last_searched = today
            SearchCount.objects.bulk_update(
                [row for key, row in kept.items() if key in tally],
                ["searches", "results", "last_searched"],
            )
            SearchCount.objects.bulk_create(new)
    except DatabaseError:
        logger.warning("Could not keep %d search counts", len(tally), exc_info=True)


class SearchStatsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        found = response.get(RESULTS_HEADER)
        if found:
            del response[RESULTS_HEADER]
        if found and response.status_code == 200:
            from .views import clean_query

            language, _, count = found.partition(" ")
            typed = request.GET.get("q", "")
            _, words, _ = clean_query(typed)
            record(language, typed, " ".join(words), int(count))
        return response
