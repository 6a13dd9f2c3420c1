import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import html


def teaser_link(client, url):
    link = html(client.get(url)).select_one(".story-teaser .card__link")
    return link["href"] if link else None


def test_a_story_page_teases_the_newest_other_story(client, rosa, omar):
    with translation.override("en"):
        rosa_url, omar_url = rosa.get_absolute_url(), omar.get_absolute_url()
    assert teaser_link(client, "/en/") == rosa_url
    assert teaser_link(client, rosa_url) == omar_url, "not itself"
    assert teaser_link(client, omar_url) == rosa_url


def test_the_only_story_does_not_tease_itself(client, omar):
    with translation.override("en"):
        url = omar.get_absolute_url()
    teaser = html(client.get(url)).select_one(".story-teaser")
    assert teaser.select_one(".card__link") is None
    assert "appear here soon" not in teaser.get_text()
    assert teaser.find("a", href=reverse("stories:list"))


def test_the_teaser_prefers_a_story_in_the_readers_language_on_a_story_page(client, rosa, omar):
    # Rosa is in Spanish and newest: on her own Spanish page the next is Omar, in English.
    with translation.override("es"):
        rosa_url, omar_url = rosa.get_absolute_url(), omar.get_absolute_url()
    assert teaser_link(client, "/es/") == rosa_url
    assert teaser_link(client, rosa_url) == omar_url
    assert teaser_link(client, omar_url) == rosa_url


def content_urls(site, story):
    with translation.override("en"):
        return [
            "/en/",
            site["section"].get_absolute_url(),
            site["articles"][0].get_absolute_url(),
            site["about"].get_absolute_url(),
            reverse("stories:list"),
            story.get_absolute_url(),
            reverse("glossary"),
        ]


def test_share_this_page_is_on_content_pages(client, site, omar):
    for url in content_urls(site, omar):
        assert html(client.get(url)).select_one("section.share"), url


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_share_this_page_on_search_results_newsletter_or_missing_pages(client, site, language):
    with translation.override(language):
        urls = [
            reverse("search"),
            reverse("search") + "?q=relapse",
            reverse("newsletter:signup"),
            f"/{language}/no-such-page/",
        ]
    for url in urls:
        page = html(client.get(url))
        assert page.h1, url
        assert not page.select(".share"), url


def test_arabic_page_address_is_shown_readable_and_linked_encoded(client, site, settings):
    settings.SITE_URL = "https://knowaml.example"
    with translation.override("ar"):
        url = site["articles"][0].get_absolute_url()
    page = html(client.get(url))
    readable = "https://knowaml.example/ar/فهم-المرض/ما-هو-المرض/"
    share_address = page.select_one(".share__address span")
    assert share_address.get_text() == readable
    assert share_address["dir"] == "ltr"
    assert page.select_one(".print-address span").get_text() == readable
    facebook = page.select_one('.share a[href^="https://www.facebook.com/"]')["href"]
    assert "%25D9%2581" in facebook, "the shared address stays percent-encoded"
    assert page.select_one(".share")["data-url"].startswith("https://knowaml.example/ar/%D9%81")
