"""One definition of "translated into a language", of "published" and of "newest first".

Every kind of translated content answers the same question the same way, whether a page
asks one object (``is_translated_into``) or the database (``translated_into``): sitemaps,
feeds, search, the translation dashboard and the newsletter all rely on it.
"""

import datetime

import pytest

from education.models import Article, GlossaryTerm, Page, Section
from knowaml.translations.status import MISSING, status_for
from newsletter.models import Issue
from stories.models import Story

from .conftest import LANGUAGES, page_text, translations

DAY = datetime.date(2026, 1, 1)


def make_rows(section):
    """For each kind: one row translated into Spanish, one missing a required field there."""
    story = {"first_name": "Sam", "role": "patient", "consent_on_file": DAY}
    return {
        Section: [
            Section.objects.create(
                order=5,
                **translations(
                    en={"title": "More", "slug": "more"}, es={"title": "Más", "slug": "mas"}
                ),
            ),
            Section.objects.create(
                order=6,
                **translations(en={"title": "Other", "slug": "other"}, es={"title": "Otra"}),
            ),
        ],
        Article: [
            Article.objects.create(
                section=section, order=5, **translations(en=page_text("one"), es=page_text("uno"))
            ),
            Article.objects.create(
                section=section,
                order=6,
                **translations(en=page_text("two"), es={**page_text("dos"), "body": "  "}),
            ),
        ],
        Page: [
            Page.objects.create(**translations(en=page_text("page-a"), es=page_text("pagina-a"))),
            Page.objects.create(**translations(en=page_text("page-b"), es={"title": "Página"})),
        ],
        Story: [
            Story.objects.create(
                **story, **translations(en=page_text("story-a"), es=page_text("historia-a"))
            ),
            Story.objects.create(
                **story,
                **translations(
                    en=page_text("story-b"), es={**page_text("historia-b"), "summary": ""}
                ),
            ),
        ],
        GlossaryTerm: [
            GlossaryTerm.objects.create(
                **translations(
                    en={"term": "Blast", "slug": "blast", "definition": "A young cell."},
                    es={"term": "Blasto", "slug": "blasto", "definition": "Una célula joven."},
                )
            ),
            GlossaryTerm.objects.create(
                **translations(
                    en={"term": "Marrow", "slug": "marrow", "definition": "Where blood is made."},
                    es={"term": "Médula", "slug": "medula"},
                )
            ),
        ],
        Issue: [
            Issue.objects.create(
                **translations(
                    en={"subject": "News", "body": "Text."},
                    es={"subject": "Noticias", "body": "T."},
                )
            ),
            Issue.objects.create(
                **translations(en={"subject": "More news", "body": "Text."}, es={"subject": "Más"})
            ),
        ],
    }


@pytest.mark.django_db
def test_every_kind_counts_a_translation_the_same_way_in_python_and_in_the_database(section):
    rows = make_rows(section)
    for model, (translated, incomplete) in rows.items():
        both = model.objects.filter(pk__in=[translated.pk, incomplete.pk])
        assert translated.is_translated_into("es"), model
        assert not incomplete.is_translated_into("es"), model
        for language in LANGUAGES:
            in_database = set(both.translated_into(language))
            in_python = {o for o in (translated, incomplete) if o.is_translated_into(language)}
            assert in_database == in_python, (model, language)
        assert set(both.translated_into("en")) == {translated, incomplete}
        assert list(both.translated_into("es")) == [translated], model


@pytest.mark.django_db
def test_the_dashboard_calls_missing_what_pages_show_in_english(section):
    rows = make_rows(section)
    for model, (translated, incomplete) in rows.items():
        assert status_for(incomplete, "es").state == MISSING, model
        assert status_for(translated, "es").state != MISSING, model
        assert incomplete.translated_languages() == ["en"], model
        assert translated.translated_languages() == ["en", "es"], model


@pytest.mark.django_db
def test_published_and_newest_first_mean_the_same_for_articles_pages_and_stories(section):
    story = {"first_name": "Sam", "role": "patient", "consent_on_file": DAY}
    for model, extra in ((Article, {"section": section}), (Page, {}), (Story, story)):

        def make(slug, status, published, extra=extra, model=model):
            return model.objects.create(
                status=status, published=published, **extra, **translations(en=page_text(slug))
            )

        older = make(f"{model._meta.model_name}-older", "published", DAY)
        newer = make(f"{model._meta.model_name}-newer", "published", DAY + datetime.timedelta(1))
        draft = make(f"{model._meta.model_name}-draft", "draft", DAY + datetime.timedelta(2))
        mine = model.objects.filter(pk__in=[older.pk, newer.pk, draft.pk])
        assert list(mine.published().newest_first()) == [newer, older], model
        assert list(mine.newest_first()) == [draft, newer, older], model
        assert draft.status == model.Status.DRAFT and not draft.is_published
        assert newer.is_published


def test_articles_pages_and_stories_share_one_list_of_statuses():
    assert Article.Status is Page.Status is Story.Status
    assert Story.Status.values == ["draft", "published", "taken-down"]
