"""Explain the first use of each glossary word in an article's sanitised HTML.

Pure functions: the apps pass the terms in, so this module imports no app.
"""

import html
import re
from dataclasses import dataclass

# Never explain a word inside these: a link inside a link is invalid, and headings and
# code must read exactly as written.
SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "dt", "dfn"}
# Attribute values are always double-quoted in nh3's output but may contain ">".
TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class Term:
    key: str  # unique, used in element ids
    url: str
    variants: tuple  # the word and its other forms, in the article's language


def _normal(text):
    return " ".join(text.split()).casefold()


def _pattern(terms):
    forms = {}
    for term in terms:
        for variant in term.variants:
            forms.setdefault(_normal(variant), term)
    if not forms:
        return None, forms
    alternatives = sorted(forms, key=len, reverse=True)  # "bone marrow biopsy" first
    body = "|".join(r"\s+".join(map(re.escape, form.split())) for form in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), forms


def _explain(text, pattern, forms, used):
    """Wrap the first use of each term in ``text`` (already unescaped); return HTML."""
    pieces, position = [], 0
    for match in pattern.finditer(text):
        term = forms.get(_normal(match.group()))
        if term is None or term.key in used:
            continue
        used[term.key] = term
        pieces.append(html.escape(text[position : match.start()], quote=False))
        pieces.append(
            f'<a href="{html.escape(term.url)}" class="glossary-term" '
            f'aria-describedby="explained-{html.escape(term.key)}">'
            f"{html.escape(match.group(), quote=False)}</a>"
        )
        position = match.end()
    if not pieces:
        return None
    pieces.append(html.escape(text[position:], quote=False))
    return "".join(pieces)


def annotate_terms(sanitised_html, terms):
    """Return ``(html, matched)``: the first use of each term becomes a link to its entry.

    Matching is case-insensitive and respects Unicode word boundaries. Only text outside
    links, headings and code is touched. ``matched`` lists the terms in order of first use,
    so the page can explain them (the link's ``aria-describedby`` points there).
    """
    pattern, forms = _pattern(terms)
    if pattern is None:
        return sanitised_html, []
    used, out, skipping = {}, [], 0
    for piece in TAG.split(sanitised_html):
        if not piece:
            continue
        if piece.startswith("<"):
            tag = TAG_NAME.match(piece)
            if tag and tag.group(2).lower() in SKIP:
                skipping = max(0, skipping + (-1 if tag.group(1) else 1))
            out.append(piece)
            continue
        explained = None if skipping else _explain(html.unescape(piece), pattern, forms, used)
        out.append(piece if explained is None else explained)
    return "".join(out), list(used.values())
