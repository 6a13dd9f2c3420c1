"""Site search over articles, pages, stories and the glossary, in the visitor's language.

A leaf view on the project side: it may use the apps' QuerySets. On PostgreSQL it uses
full-text search with the language's own configuration; elsewhere a plain substring match.
Results in the visitor's language come first; pages not yet translated are searched and
shown in English, and marked so.
"""

import html
import re
import unicodedata

from django.db import connection
from django.db.models import F, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from education.models import Article, GlossaryTerm, Page
from stories.models import Story

from .content import translated_condition
from .languages import SOURCE_LANGUAGE, is_blank
from .public_views import page_context, public_page
from .rendering import render_markdown

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_RESULTS = 20
SNIPPET_LENGTH = 220
# PostgreSQL text search configurations; languages without one use 'simple' (no stemming).
TEXT_SEARCH_CONFIG = {"en": "english", "es": "spanish", "fr": "french", "de": "german"}
WORD = re.compile(r"\w+")


def clean_query(raw):
    """``(query, words, shortened)``: control characters (NUL included) become spaces."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw or "")
    shortened = len(text) > MAX_QUERY_LENGTH
    text = " ".join(text[:MAX_QUERY_LENGTH].split())
    # Single letters match almost everything with a substring search.
    found = (word.casefold() for word in WORD.findall(text) if len(word) > 1)
    words = list(dict.fromkeys(found))[:MAX_WORDS]
    return text, words, shortened


def highlight(text, words):
    """Escape ``text`` and wrap words starting with a searched word in ``<mark>``."""
    if not words:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(?:{})\w*".format("|".join(map(re.escape, words))), re.IGNORECASE)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    # Safe: every piece of text was escaped above; only our own <mark> tags are markup
    # (tests/test_search.py searches for a script tag).
    return mark_safe("".join(pieces))  # noqa: S308


def snippet(text, words):
    """A passage of ``text`` around the first searched word, or its beginning."""
    lowered = text.casefold()
    found = [i for i in (lowered.find(word) for word in words) if i >= 0]
    start = max(0, min(found) - SNIPPET_LENGTH // 3) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    passage = Truncator(text[start:]).chars(SNIPPET_LENGTH)
    return ("… " if start else "") + passage


def plain_text(markdown_text):
    # strip_tags keeps entities ("&amp;"); unescape them, since highlight() escapes again.
    text = html.unescape(strip_tags(str(render_markdown(markdown_text).html)))
    return " ".join(text.split())


def _substring_match(fields, language, words):
    condition = Q()
    for word in words:
        anywhere = Q()
        for name in fields:
            anywhere |= Q(**{f"{name}_{language}__icontains": word})
        condition &= anywhere
    return condition


def matching(queryset, fields, language, words):
    """Objects whose text in ``language`` matches, plus untranslated ones matching in English."""
    here = translated_condition(queryset.model, language)
    languages = [language] if language == SOURCE_LANGUAGE else [language, SOURCE_LANGUAGE]
    if connection.vendor != "postgresql":
        condition = _substring_match(fields, language, words) & here
        if language != SOURCE_LANGUAGE:
            condition |= _substring_match(fields, SOURCE_LANGUAGE, words) & ~here
        return queryset.filter(condition)[:MAX_RESULTS]
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    ranks, condition = [], Q()
    for code in languages:
        config = TEXT_SEARCH_CONFIG.get(code, "simple")
        vector = SearchVector(*[f"{name}_{code}" for name in fields], config=config)
        query = SearchQuery(" ".join(words), config=config, search_type="plain")
        queryset = queryset.annotate(
            **{f"vector_{code}": vector, f"rank_{code}": SearchRank(vector, query)}
        )
        matches = Q(**{f"vector_{code}": query})
        condition |= matches & (here if code == language else ~here)
        ranks.append(F(f"rank_{code}"))
    return queryset.filter(condition).order_by(*(rank.desc() for rank in ranks))[:MAX_RESULTS]


def _result(obj, language, words, kind, title, text, url):
    shown = obj.localized(language)
    return {
        "kind": kind,
        "url": url,
        "title": highlight(getattr(shown, title), words),
        "snippet": highlight(snippet(text(shown), words), words),
        "lang": shown.language,
        "is_fallback": shown.is_fallback,
    }


def find(language, words):
    """Search results in ``language``: a constant number of queries, however many pages."""
    fields = ("title", "summary", "body")
    articles = Article.objects.published().select_related("section")
    pages = Page.objects.published()
    stories = Story.objects.published()
    results = []
    for obj in matching(articles, fields, language, words):
        results.append(
            _result(
                obj,
                language,
                words,
                "article",
                "title",
                lambda s: f"{s.summary} {plain_text(s.body)}",
                obj.get_absolute_url(),
            )
        )
    for obj in matching(pages, fields, language, words):
        results.append(
            _result(
                obj,
                language,
                words,
                "page",
                "title",
                lambda s: f"{s.summary} {plain_text(s.body)}",
                obj.get_absolute_url(),
            )
        )
    for obj in matching(stories, fields, language, words):
        results.append(
            _result(
                obj,
                language,
                words,
                "story",
                "title",
                lambda s: f"{s.summary} {plain_text(s.body)}",
                obj.get_absolute_url(),
            )
        )
    glossary_url = reverse("glossary")
    terms = matching(
        GlossaryTerm.objects.all(), ("term", "definition", "also_matches"), language, words
    )
    for obj in terms:
        results.append(
            _result(
                obj,
                language,
                words,
                "glossary",
                "term",
                lambda s: plain_text(s.definition),
                f"{glossary_url}#term-{obj.effective_slug(language)}",
            )
        )
    return results


@public_page
def search(request):
    language = translation.get_language()
    raw = request.GET.get("q", "")
    query, words, shortened = clean_query(raw)
    results = find(language, words) if words else []
    context = {
        "query": query,
        "words": words,
        "shortened": shortened,
        "max_length": MAX_QUERY_LENGTH,
        "has_query": not is_blank(raw),
        "results": results,
        "translated_count": sum(1 for r in results if not r["is_fallback"]),
        **page_context(lambda: f"{reverse('search')}?{urlencode({'q': query})}"),
        # A results page is not a page to index, nor the same page in other languages.
        "alternates": [],
        "canonical_url": None,
    }
    return render(request, "search/results.html", context)
