import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from education.models import Section
from education.navigation import navigation
from knowaml import fragments

from .conftest import make_article, page_text, translations


def queries_for(client, url, cold=False):
    client.get(url)  # warm the per-language navigation cache, as in production
    if cold:  # what this process kept of the page itself (knowaml.fragments.kept)
        fragments.local.clear()
        navigation(translation.get_language_from_path(url))
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_articles(section, count, start=100):
    for n in range(start, start + count):
        make_article(section, order=n, en=page_text(f"extra-{n}"), es=page_text(f"extra-es-{n}"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_page_query_counts_do_not_grow_with_the_number_of_articles(
    client, site, language, settings
):
    with translation.override(language):
        urls = {
            "home": "/" + language + "/",
            "section": site["section"].get_absolute_url(),
            "article": site["articles"][1].get_absolute_url(),
            "page": site["about"].get_absolute_url(),
        }

    def counts(cold):
        return {kind: queries_for(client, url, cold) for kind, url in urls.items()}

    before, before_cold = counts(cold=False), counts(cold=True)
    add_articles(site["section"], 15)
    other = Section.objects.create(order=2, **translations(en={"title": "More", "slug": "more"}))
    add_articles(other, 5, start=200)
    assert (counts(cold=False), counts(cold=True)) == (before, before_cold)
    # A translated page also reads its translation record (out of date? reviewed when?).
    extra = 0 if language == "en" else 1
    cold = {"home": 3, "section": 2 + extra, "article": 3 + extra, "page": 2 + extra}
    assert before_cold == cold
    # Home's and an article's content stay in the process until one of their sources changes.
    assert before == {**cold, "home": 0, "article": 0}


def test_story_and_glossary_pages_do_not_grow_with_content(client, db, settings, tmp_path):
    from django.urls import reverse

    from education.models import GlossaryTerm
    from stories.models import Story

    settings.MEDIA_ROOT = tmp_path

    def add_stories(start, count):
        for n in range(start, start + count):
            Story.objects.create(
                status="published",
                first_name="Sam",
                role="patient",
                consent_on_file="2026-01-01",
                published="2026-01-02",
                title_en=f"Story {n}",
                slug_en=f"story-{n}",
                summary_en="S.",
                body_en="B.",
            )
            GlossaryTerm.objects.create(
                term_en=f"Term {n}", slug_en=f"term-{n}", definition_en="A plain definition."
            )

    add_stories(0, 2)
    with translation.override("en"):
        urls = [
            reverse("stories:list"),
            Story.objects.first().get_absolute_url(),
            reverse("glossary"),
            reverse("stories:feed"),
        ]
    before = [queries_for(client, url) for url in urls]
    add_stories(2, 25)
    assert [queries_for(client, url) for url in urls] == before
