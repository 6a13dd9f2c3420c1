"""After a save commits, the pages it changed are already rendered when visitors learn of
it: the first visit after the save is a cache hit showing the new text, and the old page
stays published while the new one renders."""

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test import Client, override_settings

from knowaml import fragments, pagecache, pagerefresh

from .conftest import html
from .test_page_cache import WITH_PAGE_CACHE, queries

URL = "/en/understanding-aml/relapse/"
SPANISH = "/es/comprender-la-lma/recaida/"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed(settings):
    """The site as deployed: a save is forgotten when it commits, not before."""
    settings.PAGE_CACHE_FORGET_BEFORE_COMMIT = False
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        cache.clear()
        yield Client()
    cache.clear()


def test_the_first_visit_after_a_save_is_a_cache_hit_with_the_new_text(committed, relapse):
    for url in (URL, SPANISH):
        committed.get(url)
    relapse.title_en = "When AML comes back"
    relapse.title_es = "Cuando la LMA vuelve"
    relapse.save()
    for url, title in ((URL, "When AML comes back"), (SPANISH, "Cuando la LMA vuelve")):
        response, count = queries(committed, url)
        assert count == 0, f"{url} was rendered by the save, not by this visit"
        assert html(response).h1.get_text(strip=True) == title


def test_the_old_page_stays_published_until_the_new_one_is_ready(committed, relapse, monkeypatch):
    committed.get(URL)
    key = pagecache.path_generation_key(URL)
    published = cache.get(key)
    seen = []
    render = pagerefresh._render

    def watched(handler, path):
        seen.append(cache.get(key))
        render(handler, path)

    monkeypatch.setattr(pagerefresh, "_render", watched)
    relapse.summary_en = "What happens when AML comes back."
    relapse.save()
    assert seen and set(seen) == {published}
    assert cache.get(key) != published
    assert "What happens when AML comes back." in committed.get(URL).content.decode()


def test_visitors_during_the_refresh_get_the_old_page_from_the_cache(
    committed, relapse, monkeypatch
):
    committed.get(URL)
    during = []
    render_all = pagerefresh._render_all

    def visited_meanwhile(paths, generations):
        render_all(paths, generations)  # the new page is ready, not yet published
        during.append(queries(committed, URL))
        connections.close_all()  # this thread's own

    monkeypatch.setattr(pagerefresh, "_render_all", visited_meanwhile)
    relapse.summary_en = "What happens when AML comes back."
    relapse.save()
    ((old, count),) = during
    assert count == 0, "the page rendered ahead displaced the one being served"
    assert "What happens when AML comes back." not in old.content.decode()
    new, count = queries(committed, URL)
    assert count == 0 and "What happens when AML comes back." in new.content.decode()


def test_a_failed_render_still_forgets_the_old_page(committed, relapse, monkeypatch):
    committed.get(URL)

    def broken(handler, path):
        raise RuntimeError("render failed")

    monkeypatch.setattr(pagerefresh, "_render", broken)
    relapse.title_en = "Relapse of AML"
    relapse.save()
    fragments.local.clear()
    assert html(committed.get(URL)).h1.get_text(strip=True) == "Relapse of AML"


def test_a_transaction_renders_each_visited_page_once_and_no_other(committed, site, monkeypatch):
    visited = {"/en/", *(article.get_absolute_url() for article in site["articles"])}
    for url in visited:
        committed.get(url)
    rendered = []
    render = pagerefresh._render

    def counted(handler, path):
        rendered.append(path)
        render(handler, path)

    monkeypatch.setattr(pagerefresh, "_render", counted)
    with transaction.atomic():  # as the admin's list of articles saves a new order
        for article in site["articles"]:
            article.summary_en += " Updated."
            article.save()
    assert sorted(rendered) == sorted(visited)
