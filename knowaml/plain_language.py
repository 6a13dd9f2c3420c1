"""How plain a saved article, page, story or glossary term reads, in each of its languages.

Scored on the running text: the summary and the body (a glossary term's definition).
Titles and sub-headings are left out of the score, as they are labels rather than
sentences, but their words still count when looking for glossary words.
"""

import re

from django.conf import settings
from django.utils.translation import get_language_info

from .languages import language_codes
from .plaintext import html_to_text
from .readability import analyse, glossary_words
from .rendering import render_markdown

DEFAULT_MAX_READING_AGE = 11
# Per model: fields that label the text, then the fields of running text (Markdown).
FIELDS = {
    "education.article": (("title",), ("summary", "body")),
    "education.page": (("title",), ("summary", "body")),
    "stories.story": (("title",), ("summary", "body")),
    "education.glossaryterm": (("term",), ("definition",)),
}
HEADING = re.compile(r"<h[1-6][^>]*>.*?</h[1-6]>", re.DOTALL)


def max_reading_age():
    """The oldest reading age a text may need before it is marked as hard to read."""
    return getattr(settings, "PLAIN_LANGUAGE_MAX_READING_AGE", DEFAULT_MAX_READING_AGE)


def fields_for(model):
    return FIELDS.get(model._meta.label_lower)


def markdown_as_text(text, headings=True):
    html = str(render_markdown(text).html)
    return html_to_text(html if headings else HEADING.sub("", html))


def texts(obj, language):
    """``(running text to score, all text to search)`` of ``obj`` as written in ``language``."""
    labels, running = fields_for(type(obj))
    values = {name: getattr(obj, f"{name}_{language}", "") or "" for name in labels + running}
    scored = "\n\n".join(markdown_as_text(values[name], False) for name in running)
    searched = "\n\n".join(
        [*(values[name] for name in labels), *(markdown_as_text(values[n]) for n in running)]
    )
    return scored.strip(), searched.strip()


def glossary_terms(language, exclude=None):
    """``(term, forms)`` of each glossary entry written in ``language``."""
    from education.glossary import glossary_entries

    return [
        (entry["term"], entry["variants"])
        for entry in glossary_entries(language)
        if not entry["is_fallback"] and entry["pk"] != exclude
    ]


def report(obj, language, glossary=True):
    """Score, reading age, longest sentences and glossary words of one language's text."""
    scored, searched = texts(obj, language)
    analysis = analyse(scored, language) if scored else None
    exclude = obj.pk if type(obj)._meta.label_lower == "education.glossaryterm" else None
    info = get_language_info(language)
    maximum = max_reading_age()
    return {
        "code": language,
        "name": info["name_translated"],
        "dir": "rtl" if info["bidi"] else "ltr",
        "analysis": analysis,
        "above": analysis is not None and analysis.is_above(maximum),
        "glossary_words": (
            glossary_words(searched, glossary_terms(language, exclude))
            if glossary and searched
            else []
        ),
    }


def reports(obj):
    """One report per language, English first; None for models that are not scored."""
    if fields_for(type(obj)) is None:
        return None
    return [report(obj, code) for code in language_codes()]
