"""The stories' Atom feeds are valid Atom, in every language, and the pages point at them."""

import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from knowaml.languages import language_codes

from .conftest import html

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE = "https://knowaml.example"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def feed_in(client, language):
    with translation.override(language):
        url = reverse("stories:feed")
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def rfc3339(text):
    assert text and "T" in text, text
    parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, text
    return parsed


@pytest.mark.parametrize("language", language_codes())
def test_every_entry_has_a_valid_updated_date(client, rosa, omar, language):
    feed = feed_in(client, language)
    entries = feed.findall("atom:entry", ATOM)
    assert len(entries) == 2
    for entry in entries:
        updated = rfc3339(entry.findtext("atom:updated", namespaces=ATOM))
        assert updated >= rfc3339(entry.findtext("atom:published", namespaces=ATOM))
    newest = max(rfc3339(e.findtext("atom:updated", namespaces=ATOM)) for e in entries)
    assert rfc3339(feed.findtext("atom:updated", namespaces=ATOM)) == newest


@pytest.mark.parametrize("language", language_codes())
def test_entries_in_another_language_than_the_feed_say_which(client, rosa, omar, language):
    feed = feed_in(client, language)
    assert feed.get(XML_LANG) == language
    by_title = {
        entry.findtext("atom:title", namespaces=ATOM): entry.get(XML_LANG)
        for entry in feed.findall("atom:entry", ATOM)
    }
    omar_language = None if language == "en" else "en"
    rosa_language = None if language in {"en", "es", "fr"} else "en"
    assert by_title.pop("Life after remission") == omar_language
    assert list(by_title.values()) == [rosa_language]


def test_arabic_feed_marks_english_entries(client, rosa, omar):
    feed = feed_in(client, "ar")
    titles = {
        entry.findtext("atom:title", namespaces=ATOM): entry.get(XML_LANG)
        for entry in feed.findall("atom:entry", ATOM)
    }
    assert titles == {"Caring for my father": "en", "Life after remission": "en"}


@pytest.mark.parametrize(
    ("url", "language"), [("/en/", "en"), ("/es/historias/", "es"), ("/ar/", "ar")]
)
def test_head_link_to_the_feed_is_absolute(client, rosa, url, language):
    link = html(client.get(url)).find("link", type="application/atom+xml")
    with translation.override(language):
        feed_url = reverse("stories:feed")
    assert link["href"] == f"{SITE}{feed_url}"
    assert link["hreflang"] == language
