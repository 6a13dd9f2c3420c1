"""Glossary words are linked while the Markdown is rendered, and the rendering is cached."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from education.glossary import render_with_glossary
from education.models import GlossaryTerm
from knowaml.markdown_glossary import Glossary, Term
from knowaml.rendering import render_markdown, sanitise

from .conftest import html, make_article, page_text

SKIPPED = (
    "## Blast counts\n\n"
    "See [the blast page](/en/x/) and `blast` and\n\n    blast in a code block\n\n"
    "*[BLAST]: Basic Local Alignment Search Tool\n\n"
    "BLAST is not our word here. Then the blast itself, and another blast.\n"
)


def links(rendered):
    return BeautifulSoup(str(rendered.html), "html.parser").select("a.glossary-term")


def test_english_words_are_linked_once_each_in_order_of_first_use(glossary):
    text = "Doctors count blasts. Blasts are young. A bone marrow biopsy takes bone marrow."
    rendered, explained = render_with_glossary(text, "en")
    found = links(rendered)
    assert [a.get_text() for a in found] == ["blasts", "bone marrow biopsy", "bone marrow"]
    assert [(a["href"], a["aria-describedby"]) for a in found] == [
        ("/en/glossary/#term-blast", "explained-blast"),
        ("/en/glossary/#term-bone-marrow-biopsy", "explained-bone-marrow-biopsy"),
        ("/en/glossary/#term-bone-marrow", "explained-bone-marrow"),
    ]
    assert [word["term"] for word in explained] == ["Blast", "Bone marrow biopsy", "Bone marrow"]
    assert explained[0]["key"] == "blast" and "young blood cell" in explained[0]["definition_html"]


def test_arabic_words_written_with_the_article_link_the_arabic_glossary(glossary):
    GlossaryTerm.objects.create(
        term_en="Relapse",
        slug_en="relapse",
        definition_en="AML comes back.",
        term_ar="الانتكاس",
        slug_ar="الانتكاس",
        definition_ar="عودة المرض.",
    )
    text = "يحدث الانتكاس أحيانًا. تنمو الخلية الأرومية في نخاع العظم. الانتكاس ليس نهاية."
    with translation.override("ar"):
        rendered, explained = render_with_glossary(text, "ar")
        glossary_url = reverse("glossary")
    found = links(rendered)
    assert [a.get_text() for a in found] == ["الانتكاس", "الخلية الأرومية"]
    assert found[0]["href"] == f"{glossary_url}#term-الانتكاس"
    assert found[1]["aria-describedby"] == "explained-الخلية-الأرومية"
    assert [word["term"] for word in explained] == ["الانتكاس", "الخلية الأرومية"]


def test_words_in_headings_links_code_and_abbreviations_are_left_alone():
    terms = [Term("blast", "/g/#term-blast", ("blast",))]
    rendered = render_markdown(SKIPPED, Glossary("test", lambda: terms))
    page = BeautifulSoup(str(rendered.html), "html.parser")
    assert [a.get_text() for a in links(rendered)] == ["blast"]
    assert links(rendered)[0].parent.name == "p"
    assert "the blast itself" in page.get_text()
    assert not page.select("h2 a, a a, code a, pre a, abbr a")
    assert page.h2.get_text() == "Blast counts" and page.h2["id"] == "blast-counts"
    assert [term.key for term in rendered.terms] == ["blast"]


def test_rendering_is_cached_under_the_glossary_version():
    calls = []

    def terms():
        calls.append(1)
        return [Term("blast", "/g#blast", ("blast",))]

    first = render_markdown("A blast.", Glossary("v1", terms))
    again = render_markdown("A blast.", Glossary("v1", terms))
    assert len(calls) == 1 and again.html == first.html and again.terms == first.terms
    render_markdown("A blast.", Glossary("v2", terms))
    assert len(calls) == 2
    assert "glossary-term" not in render_markdown("A blast.").html


def test_editing_a_word_changes_the_next_render(glossary):
    text = "Young cells fill the marrow."
    rendered, explained = render_with_glossary(text, "en")
    assert not links(rendered) and explained == []
    blast = glossary["blast"]
    blast.also_matches_en = "blasts, young cells"
    blast.save()
    rendered, explained = render_with_glossary(text, "en")
    assert [a.get_text() for a in links(rendered)] == ["Young cells"]
    blast.definition_en = "Edited: an immature cell."
    blast.save()
    assert "Edited" in render_with_glossary(text, "en")[1][0]["definition_html"]
    blast.delete()
    assert not links(render_with_glossary(text, "en")[0])


def test_the_sanitiser_keeps_only_the_glossary_links_own_attributes():
    dirty = (
        '<p class="glossary-term" data-x="1">'
        '<a href="/g#a" class="glossary-term" aria-describedby="explained-a">a</a>'
        '<a href="/g#b" class="big" aria-describedby="main" data-term="b" onclick="x()">b</a>'
        '<a href="https://example.org/" class="glossary-term">c</a>'
        '<abbr title="T" onclick="x()" class="glossary-term" data-x="1">T</abbr></p>'
    )
    page = BeautifulSoup(sanitise(dirty), "html.parser")
    first, second, outside = page.find_all("a")
    assert first.attrs == {
        "href": "/g#a",
        "class": ["glossary-term"],
        "aria-describedby": "explained-a",
    }
    assert second.attrs == {"href": "/g#b"}
    # Another site is not told which page the reader came from.
    assert outside.attrs == {
        "href": "https://example.org/",
        "class": ["glossary-term"],
        "rel": ["noopener", "noreferrer"],
    }
    assert page.abbr.attrs == {"title": "T"}
    assert page.p.attrs == {}


def test_raw_attributes_written_in_markdown_never_become_attributes():
    text = (
        '<abbr onclick="x()" data-term="blast" title="t">blast</abbr> '
        '<a class="glossary-term" aria-describedby="explained-main" href="/x">x</a>'
    )
    rendered = render_markdown(text, Glossary("test", lambda: [Term("b", "/g#b", ("blast",))]))
    page = BeautifulSoup(str(rendered.html), "html.parser")
    assert [tag.name for tag in page.find_all(True)] == ["p", "a"]
    assert page.a.attrs["aria-describedby"] == "explained-b"
    assert 'onclick="x()"' in page.get_text() and "data-term" in page.get_text()


def test_an_article_with_glossary_words_costs_no_extra_queries_once_cached(
    client, section, glossary
):
    plain = make_article(section, en=page_text("plain", "Plain", "Nothing to explain."))
    body = "Blasts grow in the bone marrow. A bone marrow biopsy finds blasts."
    worded = make_article(section, order=2, en=page_text("worded", "Worded", body))

    def queries(article):
        client.get(article.get_absolute_url())
        with CaptureQueriesContext(connection) as context:
            page = html(client.get(article.get_absolute_url()))
        return len(context.captured_queries), len(page.select(".prose a.glossary-term"))

    assert queries(worded) == (queries(plain)[0], 3)
    with CaptureQueriesContext(connection) as context:
        render_with_glossary(body, "en")
    assert context.captured_queries == []
