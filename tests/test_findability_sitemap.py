"""The sitemap lists every indexable page, in every language, with its alternates."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from knowaml.languages import language_codes

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SITE = "https://knowaml.example"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = {}
    for url in ElementTree.fromstring(response.content).findall("sm:url", NS):
        links = url.findall("xhtml:link", NS)
        entries[url.findtext("sm:loc", namespaces=NS)] = {
            link.get("hreflang"): link.get("href") for link in links
        }
    return entries


def addresses(url_name):
    by_language = {}
    for code in language_codes():
        with translation.override(code):
            by_language[code] = SITE + reverse(url_name)
    return by_language


@pytest.mark.parametrize("url_name", ["glossary", "newsletter:signup"])
def test_sitemap_lists_the_page_in_every_language_with_alternates(client, db, url_name):
    entries = sitemap_entries(client)
    expected = addresses(url_name)
    for url in expected.values():
        assert url in entries, url
        assert entries[url] == {**expected, "x-default": expected["en"]}


@pytest.mark.parametrize("url_name", ["glossary", "newsletter:signup"])
def test_listed_addresses_answer_and_are_their_own_canonical(client, db, url_name):
    for url in addresses(url_name).values():
        response = client.get(url.removeprefix(SITE))
        assert response.status_code == 200, url
        assert f'<link rel="canonical" href="{url}">' in response.content.decode()
