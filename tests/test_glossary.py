import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from education.models import Article, GlossaryTerm
from knowaml.markdown_glossary import Glossary, Term
from knowaml.rendering import render_markdown

from .conftest import html, make_article, page_text
from .glossary_fixtures import make_term

BODY = (
    "## Blasts in the blood\n\n"
    "Doctors count [blasts](/en/understanding-aml/types/) first. Blasts are young cells. "
    "More blasts may appear.\n\n"
    "A bone marrow biopsy takes a little bone marrow. `blast` in code.\n"
)


def glossary_url(language):
    with translation.override(language):
        return reverse("glossary")


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_glossary_page_lists_words_a_to_z_in_the_visitors_language(client, glossary, language):
    response = client.get(glossary_url(language))
    assert response.status_code == 200
    page = html(response)
    assert len(page.find_all("h1")) == 1
    assert page.html["lang"] == language
    assert page.html["dir"] == ("rtl" if language == "ar" else "ltr")
    jumps = page.select("nav.letters a")
    assert jumps and all(page.find(id=a["href"][1:]) for a in jumps)
    terms = [dfn.get_text() for dfn in page.select("dl.glossary dfn")]
    expected = {"en": "Blast", "es": "Blasto", "ar": "الخلية الأرومية"}[language]
    assert expected in terms
    if language == "en":
        assert terms == ["Blast", "Bone marrow", "Bone marrow biopsy", "Refractory"]


def test_untranslated_word_is_shown_in_english_and_marked(client, glossary):
    page = html(client.get(glossary_url("es")))
    entry = page.find("dt", id="term-refractory").parent
    assert entry["lang"] == "en" and entry["dir"] == "ltr"
    assert entry.select_one(".in-english").get_text() == "En inglés"
    assert "did not go into remission" in entry.dd.get_text()
    spanish = page.find("dt", id="term-blasto").parent
    assert not spanish.has_attr("lang")
    assert "no ha madurado" in spanish.dd.get_text()


def test_article_explains_the_first_use_of_each_word_without_javascript(client, section, glossary):
    article = make_article(section, en=page_text("counts", "Counts", BODY))
    page = html(client.get(article.get_absolute_url()))
    prose = page.select_one(".prose")
    links = prose.select("a.glossary-term")
    assert [a.get_text() for a in links] == ["Blasts", "bone marrow biopsy", "bone marrow"]
    assert links[0]["href"] == "/en/glossary/#term-blast"
    assert not prose.h2.select("a.glossary-term")
    assert not prose.select("a a") and not prose.select("code a")
    for link in links:
        description = page.find(id=link["aria-describedby"])
        assert description.name == "dd" and description.get_text().strip()
    explained = page.select_one(".words-explained")
    assert explained.h2.get_text() == "Words explained on this page"
    assert [dfn.get_text() for dfn in explained.select("dt dfn")] == [
        "Blast",
        "Bone marrow biopsy",
        "Bone marrow",
    ]
    assert not page.find_all("script", src=False, type=lambda t: t != "application/ld+json")


def test_spanish_article_explains_spanish_words_and_links_the_spanish_glossary(
    client, section, glossary
):
    body = "La médula ósea hace la sangre. Los blastos crecen. Refractory no es español."
    article = make_article(
        section, en=page_text("marrow", "Marrow"), es=page_text("medula", "Médula", body)
    )
    with translation.override("es"):
        url = article.get_absolute_url()
    prose = html(client.get(url)).select_one(".prose")
    links = prose.select("a.glossary-term")
    assert [a.get_text() for a in links] == ["médula ósea", "blastos"]
    assert links[0]["href"] == glossary_url("es") + "#term-medula-osea"


def test_a_new_word_explains_itself_at_once(client, section, glossary):
    article = make_article(section, en=page_text("t", "T", "Consolidation comes next."))
    assert not html(client.get(article.get_absolute_url())).select("a.glossary-term")
    make_term(en={"term": "Consolidation", "slug": "consolidation", "definition": "More."})
    assert html(client.get(article.get_absolute_url())).select("a.glossary-term")


def test_linking_matches_whole_words_in_any_case_and_keeps_text_escaped():
    terms = [Term("blast", "/g#blast", ("blast",)), Term("mo", "/g#mo", ("médula ósea",))]
    text = "Subblast <script> \\*BLAST\\* blast Médula\nÓsea &amp; 5 &lt; 6\n\n    blast\n"
    rendered = render_markdown(text, Glossary("test", lambda: terms))
    assert [term.key for term in rendered.terms] == ["blast", "mo"]
    assert "<p>Subblast &lt;script&gt; *<a " in rendered.html
    assert (
        '<a aria-describedby="explained-blast" class="glossary-term" href="/g#blast">'
        "BLAST</a>* blast <a " in rendered.html
    )
    assert "</a> &amp; 5 &lt; 6</p>" in rendered.html
    assert rendered.html.count("glossary-term") == 2
    assert rendered.html.endswith("<pre><code>blast\n</code></pre>")


def test_editors_manage_glossary_words_in_the_admin(client, glossary):
    user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    changelist = client.get(reverse("admin:education_glossaryterm_changelist") + "?q=Blasto")
    assert changelist.status_code == 200
    assert "Blast" in changelist.content.decode()
    add = client.get(reverse("admin:education_glossaryterm_add"))
    assert add.status_code == 200
    assert 'name="definition_es"' in add.content.decode()


def test_demo_glossary_loads_once_and_keeps_editors_changes(client, db):
    call_command("load_demo", verbosity=0)
    assert 12 <= GlossaryTerm.objects.count() <= 16
    assert all(term.is_translated_into("es") for term in GlossaryTerm.objects.all())
    assert GlossaryTerm.objects.filter(term_ar__gt="").count() >= 3
    blast = GlossaryTerm.objects.get(slug_en="blast")
    blast.definition_en = "Edited by an editor."
    blast.save()
    call_command("load_demo", verbosity=0)
    assert GlossaryTerm.objects.count() == GlossaryTerm.objects.values("slug_en").distinct().count()
    blast.refresh_from_db()
    assert blast.definition_en == "Edited by an editor."
    relapse = Article.objects.get(slug_en="relapse")
    page = html(client.get(relapse.get_absolute_url()))
    assert page.select_one(".prose a.glossary-term[href='/en/glossary/#term-relapse']")
