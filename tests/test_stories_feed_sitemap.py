from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import html

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE = "https://knowaml.example"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def xml(response):
    return ElementTree.fromstring(response.content)


def reverse_in(language, name):
    with translation.override(language):
        return reverse(name)


def entry_titles(feed):
    return [entry.findtext("atom:title", namespaces=NS) for entry in feed.findall("atom:entry", NS)]


def test_every_page_advertises_the_feed_in_its_language(client, rosa):
    for url, language in [("/en/", "en"), ("/es/historias/", "es"), ("/ar/", "ar")]:
        link = html(client.get(url)).find("link", type="application/atom+xml")
        assert link["rel"] == ["alternate"]
        assert link["href"] == SITE + reverse_in(language, "stories:feed")
        assert link["hreflang"] == language


def test_atom_feed_per_language_newest_first(client, rosa, omar):
    response = client.get("/en/stories/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"] and not response.cookies
    feed = xml(response)
    assert feed.get(XML_LANG) == "en"
    assert entry_titles(feed) == [
        "Caring for my father",
        "Life after remission",
    ]
    spanish = xml(client.get("/es/historias/atom.xml"))
    assert spanish.get(XML_LANG) == "es"
    assert entry_titles(spanish) == ["Cuidar de mi padre", "Life after remission"]
    link = spanish.find("atom:entry/atom:link", NS).get("href")
    assert link == f"{SITE}/es/historias/cuidar-de-mi-padre/"


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = {}
    for url in xml(response).findall("sm:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        entries[url.findtext("sm:loc", namespaces=NS)] = alternates
    return entries


def test_sitemap_lists_stories_only_in_languages_they_are_translated_into(client, rosa, omar):
    entries = sitemap_entries(client)
    base = SITE
    rosa_urls = {
        "en": f"{base}/en/stories/caring-for-my-father/",
        "es": f"{base}/es/historias/cuidar-de-mi-padre/",
        "fr": f"{base}/fr/temoignages/prendre-soin-de-mon-pere/",
    }
    for url in rosa_urls.values():
        assert entries[url] == {
            **rosa_urls,
            "x-default": f"{base}/en/stories/caring-for-my-father/",
        }
    assert f"{base}/de/geschichten/caring-for-my-father/" not in entries
    assert entries[f"{base}/en/stories/life-after-remission/"].keys() == {"en", "x-default"}
    assert not any("life-after-remission" in url and "/en/" not in url for url in entries)
    assert f"{base}/es/historias/" in entries


def test_sitemap_lists_articles_sections_and_pages_with_real_alternates(client, site):
    entries = sitemap_entries(client)
    base = SITE
    relapse = entries[f"{base}/es/comprender-la-lma/recaida/"]
    assert set(relapse) == {"en", "es", "fr", "x-default"}
    assert f"{base}/de/understanding-aml/relapse/" not in entries
    assert set(entries[f"{base}/en/about-us/"]) == {"en", "es", "x-default"}
    assert any(url.startswith(f"{base}/ar/") for url in entries)
    assert f"{base}/de/" in entries


def test_x_default_addresses_in_the_sitemap_all_answer(client, rosa, site):
    for alternates in sitemap_entries(client).values():
        x_default = alternates["x-default"].removeprefix(SITE)
        assert client.get(x_default).status_code == 200, x_default


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()
