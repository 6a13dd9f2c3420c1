"""Home's and an article's content stay in the process between renders (no queries), and
every change to what the page shows is on the next render, with the page cache off."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from education.models import Reference
from knowaml.translations.models import TranslationRecord

from .conftest import html, make_article, page_text
from .glossary_fixtures import make_term

URL = "/en/understanding-aml/relapse/"
SPANISH = "/es/comprender-la-lma/recaida/"


def page(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return html(response)


def test_a_reference_edit_shows_on_the_next_render(client, relapse):
    page(client)
    reference = relapse.references.first()
    reference.citation = "Döhner H, et al. ELN 2022 recommendations. Blood. 2022."
    reference.save()
    assert "ELN 2022 recommendations" in page(client).get_text()


def test_a_new_glossary_word_is_linked_on_the_next_render(client, relapse):
    assert not page(client).select("a.glossary-term")
    make_term(en={"term": "Relapse", "slug": "relapse", "definition": "AML coming back."})
    assert page(client).select("a.glossary-term")


def test_a_section_rename_and_a_sibling_show_on_the_next_render(client, site, relapse):
    page(client)
    section = relapse.section
    section.title_en = "About AML"
    section.save()
    assert "About AML" in page(client).select_one(".breadcrumbs").get_text()


def test_a_translation_review_shows_on_the_next_render(client, relapse):
    assert not page(client, SPANISH).select(".translation-reviewed")
    for record in TranslationRecord.objects.for_object(relapse).filter(language="es"):
        record.reviewed_at = timezone.now()
        record.save()
    assert page(client, SPANISH).select(".translation-reviewed")


def test_a_new_reference_shows_on_the_next_render(client, relapse):
    page(client)
    Reference.objects.create(article=relapse, citation="A new study. 2026.", order=9)
    assert "A new study" in page(client).get_text()


def test_a_new_article_shows_on_home_on_the_next_render(client, relapse):
    page(client, "/en/")
    make_article(relapse.section, order=7, en=page_text("transplant", "Stem cell transplant"))
    assert "Stem cell transplant" in page(client, "/en/").get_text()


def test_an_article_edit_leaves_the_other_articles_kept(client, site, relapse):
    """An editor's fix to one article re-renders its own pages, not every article's."""
    other = site["articles"][0].get_absolute_url()
    page(client, other)
    page(client)
    relapse.summary_en = "Relapse: what happens when AML comes back."
    relapse.save()
    with CaptureQueriesContext(connection) as other_render:
        page(client, other)
    with CaptureQueriesContext(connection) as own_render:
        shown = page(client)
    assert len(other_render.captured_queries) == 0
    assert len(own_render.captured_queries) > 0
    assert "Relapse: what happens when AML comes back." in shown.get_text()
