import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from stories.models import Story

from .conftest import LANGUAGES, html
from .stories_fixtures import make_story, story_text


def titles(page):
    return [a.get_text() for a in page.select(".story-card .card__link")]


def test_story_list_shows_published_stories_newest_first(client, rosa, omar):
    make_story(status=Story.Status.DRAFT, consent_on_file=None, en=story_text("a-draft"))
    page = html(client.get("/en/stories/"))
    assert page.h1.get_text() == "Stories"
    assert titles(page) == ["Caring for my father", "Life after remission"]


def test_story_list_filters_by_role(client, rosa, omar):
    page = html(client.get("/en/stories/?role=caregiver"))
    assert titles(page) == ["Caring for my father"]
    assert page.select_one(".story-filter [aria-current]").get_text() == "Caregiver"
    page = html(client.get("/en/stories/?role=patient"))
    assert titles(page) == ["Life after remission"]


def test_unknown_role_shows_everyone(client, rosa, omar):
    page = html(client.get("/en/stories/?role=astronaut"))
    assert len(titles(page)) == 2


def test_story_list_is_paginated_and_keeps_the_role_filter(client, db):
    for day in range(1, 15):
        make_story(
            role=Story.Role.FAMILY,
            published=datetime.date(2026, 1, day),
            en=story_text(f"story-{day}", f"Story {day}"),
        )
    page = html(client.get("/en/stories/?role=family"))
    assert len(titles(page)) == 12
    assert titles(page)[0] == "Story 14"
    older = page.select_one(".pagination a[rel=next]")["href"]
    assert older == "?role=family&page=2"
    page = html(client.get("/en/stories/" + older))
    assert titles(page) == ["Story 2", "Story 1"]
    assert page.select_one(".pagination a[rel=prev]")


def test_story_page_shows_the_story_with_portrait_renditions(client, rosa):
    response = client.get("/en/stories/caring-for-my-father/")
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text() == "Caring for my father"
    assert page.select_one(".prose h2").get_text() == "What helped"
    image = page.select_one("img.story__portrait")
    assert image["alt"] == "Rosa smiling in her garden"
    assert image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("960", "720")
    widths = [entry.split()[-1] for entry in image["srcset"].split(", ")]
    assert widths == ["320w", "640w", "960w"]
    assert image["src"].startswith("/media/stories/renditions/")
    assert image["sizes"]


def test_decorative_portrait_has_empty_alt(client, rosa):
    rosa.portrait_is_decorative = True
    rosa.save()
    page = html(client.get("/en/stories/caring-for-my-father/"))
    assert page.select_one("img.story__portrait")["alt"] == ""


def test_story_in_spanish_and_english_slug_redirect(client, rosa):
    page = html(client.get("/es/historias/cuidar-de-mi-padre/"))
    assert page.h1.get_text() == "Cuidar de mi padre"
    assert not page.select("[data-fallback]")
    response = client.get("/es/historias/caring-for-my-father/")
    assert response.status_code == 301
    assert response["Location"] == "/es/historias/cuidar-de-mi-padre/"


def test_untranslated_story_shows_english_with_notice(client, omar):
    page = html(client.get("/de/geschichten/life-after-remission/"))
    assert page.html["lang"] == "de"
    assert "Deutsch" in page.select_one(".notice").get_text()
    assert page.select_one("article[data-fallback]")["lang"] == "en"


def test_draft_story_is_not_public(client, db):
    make_story(status=Story.Status.DRAFT, consent_on_file=None, en=story_text("not-yet"))
    assert client.get("/en/stories/not-yet/").status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_story_pages_set_no_cookie_and_may_be_cached(client, rosa, language):
    with translation.override(language):
        urls = [reverse("stories:list"), rosa.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies
        assert "public" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert len(html(response).find_all("h1")) == 1


def test_hreflang_on_a_story_lists_only_real_translations(client, rosa):
    page = html(client.get("/en/stories/caring-for-my-father/"))
    hreflangs = {
        link["hreflang"]
        for link in page.find_all("link", rel="alternate")
        if link.get("type") != "application/atom+xml"
    }
    assert hreflangs == {"en", "es", "fr", "x-default"}


def test_language_switcher_keeps_the_role_filter(client, rosa):
    page = html(client.get("/en/stories/?role=caregiver"))
    spanish = page.select_one('.languages a[lang="es"]')["href"]
    assert spanish == "/es/historias/?role=caregiver"
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical.endswith("/en/stories/")
