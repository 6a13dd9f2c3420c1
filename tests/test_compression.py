"""Public pages arrive compressed as the browser asks; nothing carrying a secret ever does."""

import gzip

import brotli
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from education.models import Article
from newsletter.emails import confirm_url
from newsletter.models import Subscriber

from .test_page_cache import WITH_PAGE_CACHE

RELAPSE = {"en": "/en/understanding-aml/relapse/"}
BROWSER = "gzip, deflate, br, zstd"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}


@pytest.fixture(params=["page cache off", "page cache on"])
def site(request, db):
    if request.param == "page cache off":
        yield
    else:
        with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
            yield


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def fetch(client, url, accept):
    headers = {} if accept is None else {"accept-encoding": accept}
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def plain(client, url):
    return fetch(client, url, None).content


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_relapse_article_arrives_in_7_kb_and_smaller_still_in_brotli(
    demo, site, client, language
):
    with translation.override(language):
        url = Article.objects.get(slug_en="relapse").get_absolute_url()
    for _ in range(2):  # rendered, then from the page cache if it is on
        gzipped = fetch(client, url, "gzip, deflate")
        brotlied = fetch(client, url, BROWSER)
        assert gzipped["Content-Encoding"] == "gzip" and brotlied["Content-Encoding"] == "br"
        assert len(gzipped.content) <= 7 * 1024
        assert len(brotlied.content) < len(gzipped.content)
        assert gzip.decompress(gzipped.content) == brotli.decompress(brotlied.content)
        assert gzip.decompress(gzipped.content) == plain(client, url)
        for response in (gzipped, brotlied):
            assert "Accept-Encoding" in response["Vary"]
            assert int(response["Content-Length"]) == len(response.content)
    assert f'lang="{language}"'.encode() in plain(client, url)


@pytest.mark.parametrize("accept", [None, "identity", "deflate", "br;q=0, gzip;q=0", "*;q=0"])
def test_identity_when_the_browser_takes_neither(site, client, relapse, accept):
    response = fetch(client, RELAPSE["en"], accept)
    assert not response.has_header("Content-Encoding")
    assert b"<h1" in response.content
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("accept,encoding", [("gzip;q=1, br;q=0", "gzip"), ("*", "br")])
def test_preferences_are_honoured(site, client, relapse, accept, encoding):
    assert fetch(client, RELAPSE["en"], accept)["Content-Encoding"] == encoding


def test_admin_is_never_compressed(site, client, admin_user):
    assert not fetch(client, "/admin/login/", BROWSER).has_header("Content-Encoding")
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/education/article/"):
        assert not fetch(client, url, BROWSER).has_header("Content-Encoding"), url


def test_newsletter_token_pages_are_never_compressed(site, client, make_subscriber):
    pending = make_subscriber("en", status=Subscriber.Status.PENDING, email="ana@example.com")
    path = confirm_url(pending).removeprefix("http://127.0.0.1:8000")
    response = fetch(client, path, BROWSER)
    assert b"<form" in response.content and not response.has_header("Content-Encoding")


def test_a_page_with_a_csrf_token_is_never_compressed(site, client):
    response = fetch(client, "/admin/login/", BROWSER)
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_the_page_cache_compresses_once_when_it_stores(db, client, monkeypatch, relapse):
    from knowaml import compression

    calls = []
    original = compression.compress
    monkeypatch.setattr(
        compression, "compress", lambda b, e, **kw: calls.append(e) or original(b, e, **kw)
    )
    url = relapse.get_absolute_url()
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        first = fetch(client, url, BROWSER)
        stored = sorted(calls)
        for accept in (BROWSER, "gzip", None, BROWSER):
            response = fetch(client, url, accept)
            encoding = response.get("Content-Encoding")
            assert DECODE[encoding](response.content) == brotli.decompress(first.content)
    assert stored == ["br", "gzip"] and len(calls) == 2
