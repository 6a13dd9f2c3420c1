"""The glossary: its A–Z page, and the words each article links to it, cached per language."""

import unicodedata

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from knowaml.fragments import LanguageFragment
from knowaml.languages import language_codes
from knowaml.markdown_glossary import Glossary, Term
from knowaml.public_views import make_public, page_context
from knowaml.rendering import render_markdown

from .models import GlossaryTerm

ARABIC_ARTICLE = "ال"


def is_arabic(letter):
    return "\u0600" <= letter <= "\u06ff" or "\ufb50" <= letter <= "\ufeff"


def sort_key(text):
    """Alphabetical regardless of accents and case: "Érythrocyte" sorts under E.

    Arabic words sort by the letter after the article: "الانتكاس" under ا, "النخاع" under ن;
    hamza and short-vowel marks are ignored, so "أرومية" sorts under ا.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    key = "".join(c for c in decomposed if not unicodedata.combining(c))
    if key.startswith(ARABIC_ARTICLE) and len(key) > len(ARABIC_ARTICLE):
        key = key[len(ARABIC_ARTICLE) :]
    return key


def script_rank(key, language):
    """The page's own script first: Arabic then Latin on Arabic pages, Latin first elsewhere."""
    first = key[:1]
    if not first.isalpha():
        return 2
    return 0 if is_arabic(first) == (language == "ar") else 1


def _entry(term, language):
    shown = term.localized(language)
    key = sort_key(shown.term)
    return {
        "pk": term.pk,
        "term": shown.term,
        "lang": shown.language,
        "is_fallback": shown.is_fallback,
        "definition_html": str(render_markdown(shown.definition).html),
        "variants": tuple(term.variants(shown.language)),
        "anchors": {code: term.effective_slug(code) for code in language_codes()},
        "letter": key[:1].upper() or "#",
        "sort_key": key,
    }


def _entries(language):
    """Every term as seen in ``language`` (English where untranslated), A to Z."""
    return sorted(
        (_entry(term, language) for term in GlossaryTerm.objects.all()),
        key=lambda entry: (script_rank(entry["sort_key"], language), entry["sort_key"]),
    )


_fragment = LanguageFragment("education:glossary", _entries, [GlossaryTerm])
glossary_entries = _fragment.get


def _terms(text_language, link_language):
    glossary_url = reverse("glossary")
    terms = []
    for entry in glossary_entries(text_language):
        if entry["is_fallback"]:
            continue  # an English definition cannot explain a word of another language
        anchor = entry["anchors"][link_language]
        terms.append(Term(anchor, f"{glossary_url}#term-{anchor}", entry["variants"]))
    return terms


def render_with_glossary(text, text_language):
    """Render Markdown written in ``text_language``, linking the first use of each word.

    Returns the rendering and the words to explain after the body, in order of first use.
    """
    link_language = translation.get_language()
    glossary = Glossary(
        version=f"{_fragment.name}:{_fragment.version()}:{text_language}:{link_language}",
        terms=lambda: _terms(text_language, link_language),
    )
    rendered = render_markdown(text, glossary)
    if not rendered.terms:
        return rendered, []
    by_anchor = {
        entry["anchors"][link_language]: entry for entry in glossary_entries(text_language)
    }
    explained = [
        {**by_anchor[term.key], "key": term.key, "url": term.url}
        for term in rendered.terms
        if term.key in by_anchor
    ]
    return rendered, explained


def glossary_index(request):
    language = translation.get_language()
    letters = []
    for entry in glossary_entries(language):
        entry = {**entry, "anchor": entry["anchors"][language]}
        if not letters or letters[-1]["letter"] != entry["letter"]:
            letters.append({"letter": entry["letter"], "terms": []})
        letters[-1]["terms"].append(entry)
    context = {"letters": letters, **page_context(lambda: reverse("glossary"))}
    return make_public(render(request, "education/glossary.html", context))
