"""A cached page costs one cache round trip, is never stale after a save, and the cache
keeps one copy per page a visitor can see, not one per tracking link."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from knowaml import pagecache

from .conftest import html
from .test_page_cache import WITH_PAGE_CACHE, queries

URL = "/en/understanding-aml/relapse/"


class CountingCache(LocMemCache):
    """The local-memory cache, recording each call a request makes."""

    calls = []
    inside = False

    def _record(name):
        def method(self, *args, **kwargs):
            if CountingCache.inside:  # get_many() made of get()s is still one call
                return getattr(LocMemCache, name)(self, *args, **kwargs)
            self.calls.append((name, args, kwargs))
            CountingCache.inside = True
            try:
                return getattr(LocMemCache, name)(self, *args, **kwargs)
            finally:
                CountingCache.inside = False

        return method

    for _name in ("get", "get_many", "set", "set_many", "add", "delete", "incr", "has_key"):
        locals()[_name] = _record(_name)


@pytest.fixture
def counted(db):
    caches = {"default": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "counted"}}
    with override_settings(CACHES=caches, MIDDLEWARE=WITH_PAGE_CACHE):
        CountingCache.calls = []
        yield CountingCache.calls


def test_a_hit_is_one_get_many_and_nothing_else(counted, client, relapse):
    first = client.get(URL, headers={"accept-encoding": "br"})
    client.get(URL, headers={"accept-encoding": "br"})
    counted.clear()
    again = client.get(URL, headers={"accept-encoding": "br"})
    assert again.content == first.content and again["Content-Encoding"] == "br"
    assert [name for name, _, _ in counted] == ["get_many"]
    assert len(counted[0][1][0]) == 3


def test_the_first_visit_on_an_empty_cache_is_kept(counted, client, relapse):
    cache.clear()  # not even the generations the article's save set
    client.get(URL, headers={"accept-encoding": "br"})
    counted.clear()
    response, count = queries(client, URL, headers={"accept-encoding": "br"})
    assert response["Content-Encoding"] == "br" and count == 0
    assert [name for name, _, _ in counted] == ["get_many"]


def test_forgetting_paths_is_one_write_and_forgets_only_them(counted, client, relapse):
    other = "/en/understanding-aml/"
    for url in (URL, other, URL, other):
        client.get(url)
    counted.clear()
    pagecache.forget_paths([URL, URL + "?page=2"])
    assert [name for name, _, _ in counted] == ["set_many"]
    assert queries(client, URL)[1] > 0
    assert queries(client, other)[1] == 0


def test_a_render_that_began_before_a_save_is_not_served_after_it(
    counted, client, relapse, monkeypatch
):
    client.get(URL)  # the generations exist
    storable = pagecache.Page.is_storable

    def save_while_rendering(page, request, response):
        relapse.title_en = "Relapse of AML"
        relapse.save()
        return storable(page, request, response)

    monkeypatch.setattr(pagecache.Page, "is_storable", save_while_rendering)
    pagecache.forget_paths([URL])
    assert html(client.get(URL)).h1.get_text() == "Relapse"
    monkeypatch.setattr(pagecache.Page, "is_storable", storable)
    assert html(client.get(URL)).h1.get_text() == "Relapse of AML"


@pytest.fixture
def cached_client(db):
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        yield Client()


def test_tracking_links_share_the_page(cached_client, relapse):
    queries(cached_client, URL + "?utm_source=newsletter&utm_medium=email")
    for tracked in ("?utm_campaign=x", "?fbclid=abc&gclid=def", "?mc_cid=1&mc_eid=2", ""):
        response, count = queries(cached_client, URL + tracked)
        assert response.status_code == 200 and count == 0, tracked


@pytest.mark.parametrize("query", ["?x=1", "?q=relapse", "?feedback=yes", "?page=2&page=3"])
def test_parameters_the_page_does_not_read_are_served_but_not_stored(cached_client, relapse, query):
    for _ in range(2):
        response, count = queries(cached_client, URL + query)
        assert response.status_code == 200 and count > 0


def test_the_feedback_thanks_page_is_stored_apart(cached_client, relapse):
    plain = cached_client.get(URL)
    queries(cached_client, URL + "?feedback=thanks")
    thanked, count = queries(cached_client, URL + "?feedback=thanks&utm_source=x")
    assert count == 0 and thanked.content != plain.content


def test_stories_are_stored_per_role_and_page(cached_client, db):
    stories = "/en/stories/"
    for query in ("?role=patient", "?role=patient&page=2", "?page=1&role=patient"):
        queries(cached_client, stories + query)
    assert queries(cached_client, stories + "?role=patient&page=2")[1] == 0
    assert queries(cached_client, stories + "?role=nobody")[1] > 0
    assert queries(cached_client, stories + "?role=nobody")[1] > 0


def test_search_is_stored_per_folded_query_for_a_minute(counted, client, relapse):
    client.get("/en/search/?q=Relapse")
    writes = [args for name, args, _ in counted if name == "set_many"]
    entries = [timeout for data, timeout in writes if "pages:entry:" in next(iter(data))]
    assert entries == [60]
    for query in ("relapse", "RELAPSE", "  relapse ", "relapse&utm_source=x"):
        response, count = queries(client, f"/en/search/?q={query}")
        assert response.status_code == 200 and count == 0, query
    assert queries(client, "/en/search/?q=remission")[1] > 0
