"""Site search over articles, pages, stories and the glossary, in the visitor's language.

A leaf view on the project side: it may use the apps' QuerySets. Both databases read the same
index (knowaml/search/indexing.py), so search behaves the same in development and production.
Results in the visitor's language come first; pages not yet translated are shown in English,
and marked so.
"""

import re
import unicodedata

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..languages import is_blank
from ..public_views import page_context, public_page
from . import indexing, stats, text
from . import query as query_module
from .indexing import plain_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
PER_PAGE = 10
SNIPPET_LENGTH = 220
WORD = re.compile(r"\w+")


def clean_query(raw):
    """``(query, words, shortened)``: control characters (NUL included) become spaces."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw or "")
    shortened = len(cleaned) > MAX_QUERY_LENGTH
    cleaned = " ".join(cleaned[:MAX_QUERY_LENGTH].split())
    # Single letters would match almost everything. Arabic diacritics are not word
    # characters to a regular expression: without them a word stays one word.
    found = (
        word.casefold()
        for word in WORD.findall(text.ARABIC_MARKS.sub("", cleaned))
        if len(word) > 1
    )
    words = list(dict.fromkeys(found))[:MAX_WORDS]
    return cleaned, words, shortened


def highlight_terms(text_value, terms, language):
    """Escape ``text_value`` and mark the words whose stem was searched for."""
    pieces, position = [], 0
    for match in WORD.finditer(text_value):
        word = match.group()
        folded = text.fold(word)
        if len(folded) > 1 and text.stem(folded, language) in terms:
            pieces.append(escape(text_value[position : match.start()]))
            pieces.append(f"<mark>{escape(word)}</mark>")
            position = match.end()
    pieces.append(escape(text_value[position:]))
    # Safe: every piece of text was escaped above; only our own <mark> tags are markup
    # (tests/test_search.py searches for a script tag).
    return mark_safe("".join(pieces))  # noqa: S308


def passage(text_value, terms, language):
    """A passage of ``text_value`` around the first searched word, or its beginning."""
    start = 0
    for match in WORD.finditer(text_value):
        if text.stem(text.fold(match.group()), language) in terms:
            start = max(0, match.start() - SNIPPET_LENGTH // 3)
            break
    if start:
        start = text_value.find(" ", start) + 1 or start
    shortened = Truncator(text_value[start:]).chars(SNIPPET_LENGTH)
    return ("… " if start else "") + shortened


def _objects(kind, ids):
    model = indexing.model_of(kind)
    queryset = model.objects.all() if kind == "glossary" else model.objects.published()
    if kind == "article":
        queryset = queryset.select_related("section")
    return queryset.in_bulk(ids)


def _result(obj, kind, language, marked):
    shown = obj.localized(language)
    terms = marked.get(shown.language, set())
    if kind == "glossary":
        title, body = shown.term, plain_text(shown.definition)
        url = f"{reverse('glossary')}#term-{obj.effective_slug(language)}"
    else:
        title, body = shown.title, f"{shown.summary} {plain_text(shown.body)}"
        url = obj.get_absolute_url()
    return {
        "kind": kind,
        "url": url,
        "title": highlight_terms(title, terms, shown.language),
        "snippet": highlight_terms(passage(body, terms, shown.language), terms, shown.language),
        "lang": shown.language,
        "is_fallback": shown.is_fallback,
    }


def suggestion(query, parsed_list):
    """The query with its misspelt words corrected, or None."""
    replaced = {}
    for parsed in reversed(parsed_list):  # the visitor's language has the last word
        words = parsed.words
        for typed, known in parsed.corrections.items():
            replaced[(parsed.language, typed)] = words.word(known)
    if not replaced:
        return None
    out = []
    for word in text.words(query):
        fixes = [fix for (code, typed), fix in replaced.items() if text.stem(word, code) == typed]
        out.append(fixes[-1] if fixes else word)
    return " ".join(out)


def find(language, query, page_number=1):
    """``(page, its results, corrected query or None)``: the same few queries however many
    pages the site has (one for the index, one per kind of result shown)."""
    parsed_list = query_module.parse_all(query, language)
    ranked = query_module.rank(parsed_list)
    page = Paginator(ranked, PER_PAGE).get_page(page_number)
    wanted = {}
    for kind, object_id, _ in page.object_list:
        wanted.setdefault(kind, []).append(object_id)
    found = {kind: _objects(kind, ids) for kind, ids in wanted.items()}
    marked = {p.language: p.marked_terms() for p in parsed_list}
    results = [
        _result(found[kind][object_id], kind, language, marked)
        for kind, object_id, _ in page.object_list
        if object_id in found[kind]
    ]
    return page, results, suggestion(query, parsed_list)


@public_page
def search(request):
    language = translation.get_language()
    raw = request.GET.get("q", "")
    query, words, shortened = clean_query(raw)
    searched = " ".join(words)
    page, results, corrected = (
        find(language, searched, request.GET.get("page"))
        if words
        else (
            None,
            [],
            None,
        )
    )
    count = page.paginator.count if page else 0

    def address(**parameters):
        return f"{reverse('search')}?{urlencode(parameters)}"

    context = {
        "query": query,
        "words": words,
        "shortened": shortened,
        "max_length": MAX_QUERY_LENGTH,
        "has_query": not is_blank(raw),
        "results": results,
        "count": count,
        "page": page,
        "first_number": page.start_index() if results else 0,
        "previous_url": address(q=query, page=page.previous_page_number())
        if page and page.has_previous()
        else None,
        "next_url": address(q=query, page=page.next_page_number())
        if page and page.has_next()
        else None,
        "suggestion": corrected if corrected and corrected != searched else None,
        "suggestion_url": address(q=corrected) if corrected else None,
        **page_context(lambda: address(q=query)),
        # A results page is not a page to index, nor the same page in other languages.
        "alternates": [],
        "canonical_url": None,
    }
    response = render(request, "search/results.html", context)
    if words:
        response[stats.RESULTS_HEADER] = f"{language} {count}"
    return response
