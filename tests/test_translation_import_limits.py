"""A PO import is checked and applied within one request: bounded in size, fixed in queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from education.models import Article, Section
from knowaml.translations.exchange import count_units, import_po
from knowaml.translations.models import TranslationRecord
from knowaml.translations.status import status_for
from knowaml.translations.views import ImportForm

from .conftest import html
from .test_translation_files import export, fill


def add_articles(section, count, paragraphs, start=0):
    """Articles with ``3 + paragraphs`` German units each: title, slug, summary, body."""
    body = "\n\n".join(f"Paragraph {n}: induction aims for remission." for n in range(paragraphs))
    return Article.objects.bulk_create(
        Article(
            section=section,
            order=n,
            title_en=f"Article {n}",
            slug_en=f"article-{n}",
            summary_en=f"Summary of article {n}.",
            body_en=body,
        )
        for n in range(start, start + count)
    )


def translated_file(client):
    german = export(client, "de")
    fill(german, "", lambda s: f"DE {s}")
    return german


def post_file(client, po):
    file = SimpleUploadedFile("de.po", str(po).encode(), content_type="text/x-gettext-translation")
    return client.post(reverse("translations:import", args=["de"]), {"file": file})


def import_through_the_admin(client, po):
    """Dry run, then apply: the number of queries of each."""
    url = reverse("translations:import", args=["de"])
    with CaptureQueriesContext(connection) as dry:
        checked = post_file(client, po)
    with CaptureQueriesContext(connection) as applied:
        result = client.post(url, {"upload": checked.context["upload"]}, follow=True)
        report = result.context["report"]
    assert report.applied and not report.rejected
    return len(dry), len(applied)


@pytest.fixture
def translated_section(db):
    return Section.objects.create(
        order=1,
        title_en="Treatment",
        slug_en="treatment",
        title_de="Behandlung",
        slug_de="behandlung",
    )


def test_import_queries_do_not_grow_with_the_number_of_units(admin_client, translated_section):
    add_articles(translated_section, 200, paragraphs=7)
    small = translated_file(admin_client)
    assert len(small) == 2_000
    small_queries = import_through_the_admin(admin_client, small)

    add_articles(translated_section, 200, paragraphs=97, start=200)
    large = translated_file(admin_client)
    assert len(large) == 20_000, "only the new articles are still missing in German"
    assert import_through_the_admin(admin_client, large) == small_queries

    articles = Article.objects.all()
    assert all(a.is_translated_into("de") for a in articles)
    assert not any(status_for(a, "de").needs_update for a in articles)
    records = TranslationRecord.objects.for_objects(Article, articles.values("pk"))
    assert records.filter(language="de").count() == 400 * 4
    assert Article.history.filter(history_type="~").count() == 400
    assert articles.get(slug_de="article-399-de").body_de.startswith("DE Paragraph 0:")


def test_each_kind_of_page_costs_a_fixed_number_of_queries(
    admin_client, translated_section, relapse, django_assert_num_queries
):
    # Drafts: a published page's imported translation becomes a revision waiting for review.
    relapse.status = Article.Status.DRAFT
    relapse.save()
    add_articles(translated_section, 30, paragraphs=3)
    german = translated_file(admin_client)  # the other section, and 31 articles
    content = str(german)
    for model in (Section, Article):
        ContentType.objects.get_for_model(model)  # cached for the process, as in production
    # Per kind: its objects, their translation records, and each kind of page sharing its
    # addresses (articles: articles; sections: sections and pages).
    checks = 3 + 4
    with django_assert_num_queries(checks):
        report = import_po(content, "de")
    assert len(report.changes) == 2 + 31 * 4 and not report.rejected
    # To apply, per kind also: one update, one insert of history, one of records; and a
    # savepoint around it all.
    with django_assert_num_queries(checks + 2 * 3 + 2):
        assert import_po(content, "de", apply=True).applied


def test_a_file_over_the_size_limit_is_refused_and_changes_nothing(admin_client, relapse, settings):
    german = translated_file(admin_client)
    settings.TRANSLATION_IMPORT_MAX_BYTES = len(str(german).encode()) - 1
    response = post_file(admin_client, german)
    assert response.status_code == 200 and "report" not in response.context
    error = html(response).select_one(".errorlist").get_text()
    assert "The limit for one import is" in error
    relapse.refresh_from_db()
    assert not relapse.title_de
    assert not admin_client.session.get("translation_uploads")


def test_a_file_with_too_many_units_is_refused_and_changes_nothing(admin_client, relapse, settings):
    german = translated_file(admin_client)
    settings.TRANSLATION_IMPORT_MAX_UNITS = len(german) - 1
    response = post_file(admin_client, german)
    error = html(response).select_one(".errorlist").get_text()
    assert f"This file has {len(german)} units. The limit for one import is" in error
    relapse.refresh_from_db()
    assert not relapse.title_de

    settings.TRANSLATION_IMPORT_MAX_UNITS = len(german)
    assert post_file(admin_client, german).context["report"].changes, "the limit itself is fine"


def test_units_are_counted_like_the_parser_counts_them(admin_client, relapse):
    german = export(admin_client, "de")
    assert count_units(str(german)) == len(german) > 0
    german.wrapwidth = 20  # as agencies' tools wrap long texts: msgid "" then lines
    assert count_units(str(german)) == len(german)


def test_limit_errors_speak_the_editors_language(settings):
    settings.TRANSLATION_IMPORT_MAX_BYTES = 10
    settings.TRANSLATION_IMPORT_MAX_UNITS = 1_000
    too_big = SimpleUploadedFile("de.po", b"x" * 2_000)
    many = SimpleUploadedFile("de.po", b'msgid "a"\nmsgstr "b"\n\n' * 1_234)
    with translation.override("de"):
        error = ImportForm(files={"file": too_big}).errors["file"][0]
        assert error.startswith("Diese Datei ist 2,0") and "Die Grenze für einen Import" in error
        settings.TRANSLATION_IMPORT_MAX_BYTES = 10**6
        error = ImportForm(files={"file": many}).errors["file"][0]
        assert "1.234 Einheiten" in error and "bei 1.000;" in error
