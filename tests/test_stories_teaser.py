import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from .conftest import LANGUAGES, html
from .stories_fixtures import make_story, story_text
from .test_public_pages import public_urls


def render_teaser():
    return Template("{% load stories_tags %}{% latest_story_teaser %}").render(Context())


@pytest.mark.parametrize("language", LANGUAGES)
def test_latest_story_teaser_is_on_every_page(client, site, rosa, language):
    with translation.override(language):
        urls = [*public_urls(site, language), reverse("stories:list"), rosa.get_absolute_url()]
    for url in urls:
        teaser = html(client.get(url)).select_one(".story-teaser")
        assert teaser is not None, url
        assert teaser.h2.get_text() == "Latest story" or language != "en"
        with translation.override(language):
            if url == rosa.get_absolute_url():
                assert teaser.select_one(".card__link") is None, "a story never teases itself"
            else:
                link = iri_to_uri(teaser.select_one(".card__link")["href"])
                assert link == rosa.get_absolute_url()


def test_teaser_shows_newest_story_translated_into_the_language(client, rosa, omar):
    newest_in_english_only = make_story(
        published=datetime.date(2026, 4, 1), en=story_text("newest-english", "Newest English")
    )
    english = html(client.get("/en/")).select_one(".story-teaser .card__link")
    assert english.get_text() == "Newest English"
    spanish = html(client.get("/es/")).select_one(".story-teaser")
    assert spanish.select_one(".card__link").get_text() == "Cuidar de mi padre"
    assert not spanish.select("[data-fallback]")
    assert newest_in_english_only.pk


def test_teaser_falls_back_to_english_marked_lang_en(client, omar):
    teaser = html(client.get("/de/")).select_one(".story-teaser")
    content = teaser.select_one("[data-fallback]")
    assert content["lang"] == "en"
    assert content["dir"] == "ltr"
    assert content.select_one(".card__link").get_text() == "Life after remission"
    assert teaser.select_one(".card__link")["href"] == "/de/geschichten/life-after-remission/"


def test_teaser_thumbnail_is_decorative_lazy_and_sized(client, rosa):
    image = html(client.get("/en/")).select_one(".story-teaser img")
    assert image["alt"] == ""
    assert image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("96", "72")
    assert "320w" in image["srcset"]


def test_teaser_is_refreshed_when_a_story_is_saved(client, rosa):
    assert "Caring for my father" in render_teaser()
    rosa.title_en = "Looking after Dad"
    rosa.save()
    assert "Looking after Dad" in render_teaser()


@pytest.mark.parametrize("count", [1, 30])
def test_teaser_costs_at_most_one_query_whatever_the_number_of_stories(
    db, count, django_assert_num_queries
):
    for day in range(count):
        make_story(
            published=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
            en=story_text(f"story-{day}"),
        )
    with django_assert_num_queries(1):
        render_teaser()
    with django_assert_num_queries(0):
        render_teaser()


def test_page_queries_do_not_grow_with_the_number_of_stories(client, site):
    def queries_for_home():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/")
        return len(queries)

    make_story(en=story_text("only-one"))
    cold_one = queries_for_home()
    for day in range(29):
        make_story(
            published=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
            en=story_text(f"more-{day}"),
        )
    assert queries_for_home() == cold_one
