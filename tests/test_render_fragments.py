"""Pieces of pages kept as HTML between renders: an edit shows on the very next render.

The page cache is off here (as in tests/settings_test.py), so each request renders; the
fragments (navigation, footer, latest story, article body, words explained, references,
home cards) are warmed by a first request, then the edit must appear on the second.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from education.models import GlossaryTerm
from knowaml import fragments

from .conftest import html, make_article, page_text, translations
from .stories_fixtures import make_story, story_text

pytestmark = pytest.mark.django_db


def render(path):
    response = Client().get(path)
    assert response.status_code == 200
    return html(response)


@pytest.fixture
def article_url(site):
    return site["articles"][1].get_absolute_url()


def test_section_renamed_shows_in_menu_breadcrumbs_and_home(site, article_url):
    render(article_url), render("/en/")
    site["section"].title_en = "All about AML"
    site["section"].save()
    article = render(article_url)
    assert "All about AML" in article.select_one("nav.main-nav").get_text()
    assert "All about AML" in article.select_one("nav.breadcrumbs").get_text()
    assert "All about AML" in render("/en/").select_one("main").get_text()


def test_page_retitled_shows_in_the_footer(site, article_url):
    render(article_url)
    site["about"].title_en = "Who we are"
    site["about"].save()
    assert "Who we are" in render(article_url).select_one("footer").get_text()


def test_article_edit_shows_in_its_body_and_its_siblings_lists(site, article_url):
    render(article_url)
    sibling_url = site["articles"][0].get_absolute_url()
    render(sibling_url)
    relapse = site["articles"][1]
    relapse.body_en = "A new first paragraph about relapse.\n\n## A new heading\n\nText."
    relapse.title_en = "When AML comes back"
    relapse.save()
    page = render(article_url)
    assert "A new first paragraph" in page.select_one(".prose").get_text()
    assert "A new heading" in page.select_one("nav.toc").get_text()
    assert page.h1.get_text() == "When AML comes back"
    assert "When AML comes back" in render(sibling_url).select_one("nav.in-section").get_text()


def test_new_article_appears_in_the_section_list_of_the_others(site, article_url):
    render(article_url)
    make_article(site["section"], order=3, en=page_text("treatment", "Treatment"))
    assert "Treatment" in render(article_url).select_one("nav.in-section").get_text()


def test_reference_edit_shows_on_the_article(site, article_url):
    render(article_url)
    reference = site["articles"][1].references.get()
    reference.citation = "A newer guideline, 2026."
    reference.save()
    assert "A newer guideline" in render(article_url).select_one(".references").get_text()


def test_glossary_definition_edit_shows_in_words_explained(site, article_url):
    term = GlossaryTerm.objects.create(
        **translations(en={"term": "Relapse", "slug": "relapse", "definition": "Old words."})
    )
    assert "Old words." in render(article_url).select_one(".words-explained").get_text()
    term.definition_en = "The illness has come back."
    term.save()
    explained = render(article_url).select_one(".words-explained").get_text()
    assert "The illness has come back." in explained
    assert "Old words." not in explained


def test_new_story_replaces_the_latest_story_teaser(site, article_url):
    make_story(en=story_text("first-story", "First story"))
    assert "First story" in render(article_url).select_one(".story-teaser").get_text()
    make_story(en=story_text("newer-story", "Newer story"), published=datetime.date(2026, 2, 1))
    assert "Newer story" in render(article_url).select_one(".story-teaser").get_text()


def test_story_page_teases_another_story_not_itself(db):
    older = make_story(en=story_text("older", "Older story"))
    newer = make_story(en=story_text("newer", "Newer story"), published=datetime.date(2026, 2, 1))
    assert "Older story" in render(newer.get_absolute_url()).select_one(".story-teaser").get_text()
    assert "Newer story" in render(older.get_absolute_url()).select_one(".story-teaser").get_text()


def test_each_language_keeps_its_own_copy(site, article_url):
    english = render(article_url).select_one("nav.main-nav").get_text()
    spanish_url = reverse("education:home").replace("/en/", "/es/")
    assert "Comprender la LMA" in render(spanish_url).select_one("nav.main-nav").get_text()
    assert "Understanding AML" in english


def test_emptied_shared_cache_drops_every_kept_copy(site, article_url):
    """A flushed Redis restarts every version: no process may take its old copy for new."""
    render(article_url)
    section = site["section"]
    type(section).objects.filter(pk=section.pk).update(title_en="Renamed without a signal")
    cache.clear()
    assert "Renamed without a signal" in render(article_url).select_one("nav.main-nav").get_text()


def test_another_process_edit_is_seen_on_the_next_request(site, article_url):
    """Another process bumps the shared version; this one must not trust its own copy."""
    render(article_url)
    section = site["section"]
    type(section).objects.filter(pk=section.pk).update(title_en="Renamed elsewhere")
    cache.incr("education:navigation:version")
    assert "Renamed elsewhere" in render(article_url).select_one("nav.main-nav").get_text()


def test_feedback_thanks_is_not_kept_for_the_next_visitor(site, article_url):
    thanked = render(article_url + "?feedback=thanks").select_one(".feedback-box")
    assert "Thank you" in thanked.get_text()
    assert "Thank you" not in render(article_url).select_one(".feedback-box").get_text()


def test_versions_are_read_once_per_request(site, article_url, monkeypatch):
    render(article_url)
    calls = []
    read = fragments._read_versions
    monkeypatch.setattr(fragments, "_read_versions", lambda keys: calls.append(keys) or read(keys))
    render(article_url)
    assert len(calls) == 1


def test_section_page_shows_edits_to_its_intro_and_its_articles(site):
    url = site["section"].get_absolute_url()
    render(url)
    site["section"].intro_en = "Start here if you are new."
    site["section"].save()
    site["articles"][0].summary_en = "A changed summary."
    site["articles"][0].save()
    main = render(url).select_one("main").get_text()
    assert "Start here if you are new." in main
    assert "A changed summary." in main


def test_glossary_page_shows_a_new_word(site):
    render(reverse("glossary"))
    GlossaryTerm.objects.create(
        **translations(en={"term": "Platelet", "slug": "platelet", "definition": "Stops bleeding."})
    )
    assert "Platelet" in render(reverse("glossary")).select_one("main").get_text()


def test_story_edit_shows_on_its_page_and_in_the_list(db):
    story = make_story(en=story_text("my-story", "My story"))
    render(story.get_absolute_url()), render(reverse("stories:list"))
    story.title_en = "My year with AML"
    story.save()
    assert render(story.get_absolute_url()).h1.get_text() == "My year with AML"
    assert "My year with AML" in render(reverse("stories:list")).select_one("main").get_text()
