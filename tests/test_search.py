import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from education.models import Article
from stories.models import Story

from .conftest import html, make_article, page_text
from .stories_fixtures import make_story, story_text

CHEMO_ES = "La quimioterapia de consolidación ayuda a mantener la remisión."


def search_url(language):
    with translation.override(language):
        return reverse("search")


def results(response):
    return html(response).select("ol.search-results > li")


@pytest.fixture
def chemo(section):
    return make_article(
        section,
        en=page_text("consolidation", "Consolidation", "Chemotherapy keeps remission going."),
        es=page_text("consolidacion", "Consolidación", CHEMO_ES),
    )


def test_search_finds_spanish_text_under_spanish_address(client, chemo):
    response = client.get(search_url("es"), {"q": "quimioterapia"})
    assert response.status_code == 200
    (found,) = results(response)
    link = found.select_one("h3 a")
    assert link.get_text() == "Consolidación"
    assert link["href"] == "/es/comprender-la-lma/consolidacion/"
    assert found.select_one("[lang]")["lang"] == "es"
    assert [m.get_text() for m in found.select("mark")] == ["quimioterapia"]
    assert not found.select(".in-english")


def test_untranslated_page_is_found_in_english_and_marked(client, section):
    make_article(section, en=page_text("apheresis", "Leukapheresis", "Leukapheresis filters."))
    (found,) = results(client.get(search_url("es"), {"q": "leukapheresis"}))
    label = found.select_one(".search-result__kind .in-english")
    assert label.get_text() == "En inglés", "the label is in the visitor's language"
    text = found.select_one("[lang]")
    assert text["lang"] == "en" and text["dir"] == "ltr"
    assert found.select_one("h3 mark").get_text() == "Leukapheresis"


def test_stories_and_glossary_words_are_found_too(client, glossary):
    make_story(en=story_text("marrow-story", "A marrow donor"), es=story_text("donante", "Donante"))
    response = client.get(search_url("en"), {"q": "marrow"})
    kinds = [li.select_one(".search-result__kind").get_text() for li in results(response)]
    assert kinds.count("Story") == 1 and kinds.count("Glossary") == 2
    spanish = results(client.get(search_url("es"), {"q": "blasto"}))
    assert [li.select_one("h3 a")["href"] for li in spanish] == ["/es/glosario/#term-blasto"]


def test_drafts_are_never_found(client, section):
    make_article(section, en=page_text("public", "Public", "Thrombocytopenia is common."))
    make_article(
        section,
        status=Article.Status.DRAFT,
        en=page_text("secret", "Secret", "Thrombocytopenia draft."),
    )
    make_story(status=Story.Status.DRAFT, en=story_text("draft-story", "Thrombocytopenia"))
    found = results(client.get(search_url("en"), {"q": "thrombocytopenia"}))
    assert [li.select_one("h3 a").get_text() for li in found] == ["Public"]


def test_query_is_shown_as_text_and_highlight_cannot_inject_markup(client, section):
    make_article(section, en=page_text("script", "Script", "A script of questions to ask."))
    response = client.get(search_url("en"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    page = html(response)
    assert page.select_one("#search-page-q")["value"] == "<script>alert(1)</script>"
    assert all(mark.get_text().casefold().startswith("script") for mark in page("mark"))


def test_empty_search_offers_tips_and_ways_to_browse(client, site):
    response = client.get(search_url("en"))
    assert response.status_code == 200
    page = html(response)
    assert len(page("h1")) == 1
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.select_one(".search-tips a[href='/en/glossary/']")
    assert not page.select("ol.search-results")
    assert "public" in response["Cache-Control"] and not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "?!…—%_*", "'; DROP TABLE education_article; --", "%00", "a%00b", "%E2%80%AE"],
)
def test_absurd_searches_get_a_friendly_page(client, site, query):
    response = client.get(f"{search_url('en')}?q={query}")
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(".notice")
    assert len(page("h1")) == 1
    if len(query) > 200:
        assert "first 200 characters" in page.select_one(".notice").get_text()


def test_every_page_has_a_labelled_search_field(client, site):
    page = html(client.get("/ar/"))
    field = page.select_one("header form[role=search] input[type=search][name=q]")
    assert page.find("label", attrs={"for": field["id"]}).get_text().strip()
    assert iri_to_uri(page.select_one("header form[role=search]")["action"]) == search_url("ar")


def queries_for(client, url):
    client.get(url)  # warm the per-language word lists, as in production
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    kinds = {
        li.select_one(".search-result__kind").contents[0].split("·")[0].strip()
        for li in results(response)
    }
    return len(context.captured_queries), len(kinds)


@pytest.mark.parametrize("language", ["en", "es"])
def test_search_query_count_does_not_grow_with_the_number_of_pages(
    client, site, glossary, language
):
    url = f"{search_url(language)}?q=summary"
    before, kinds_before = queries_for(client, url)
    for n in range(12):
        make_article(site["section"], order=10 + n, en=page_text(f"more-{n}"))
        make_story(en=story_text(f"story-{n}"))
    after, kinds_after = queries_for(client, url)
    # One query reads the index; one more per kind of result on the page.
    assert before == 1 + kinds_before
    assert after == 1 + kinds_after <= 5


def test_snippets_show_symbols_as_written(client, section):
    make_article(section, en=page_text("symbols", "Symbols", "Blasts & cells: x < 5% in marrow."))
    (found,) = results(client.get(search_url("en"), {"q": "marrow"}))
    text = found.get_text()
    assert "Blasts & cells: x < 5%" in text
    assert "&amp;" not in text and "&lt;" not in text
