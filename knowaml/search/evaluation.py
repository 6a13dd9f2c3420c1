"""How often search puts the right page in its first three results, per language, for the
realistic queries in evaluation.toml (written before the search was tuned)."""

import collections
import dataclasses
import tomllib
from pathlib import Path

from django.utils import translation

from . import indexing
from .views import clean_query, find

QUERIES = Path(__file__).with_name("evaluation.toml")
TOP = 3


@dataclasses.dataclass
class Outcome:
    language: str
    query: str
    expected: list
    found: list

    @property
    def succeeded(self):
        return any(name in self.expected for name in self.found[:TOP])


def name_of(kind, obj):
    """``kind:English slug``, as the evaluation set names pages."""
    if kind == "glossary":
        return f"glossary:{obj.effective_slug('en')}"
    return f"{kind}:{obj.slug_en}"


def top_names(language, query):
    _, words, _ = clean_query(query)
    with translation.override(language):
        page, _, _ = find(language, " ".join(words))
    names = []
    for kind, object_id, _ in page.object_list[:TOP]:
        obj = indexing.model_of(kind).objects.filter(pk=object_id).first()
        if obj is not None:
            names.append(name_of(kind, obj))
    return names


def evaluate(path=QUERIES):
    with open(path, "rb") as file:
        cases = tomllib.load(file)["query"]
    return [
        Outcome(
            case["language"],
            case["q"],
            case["expect"].split("|"),
            top_names(case["language"], case["q"]),
        )
        for case in cases
    ]


def success_by_language(outcomes):
    """{language: (successes, queries)}."""
    totals = collections.defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        totals[outcome.language][0] += outcome.succeeded
        totals[outcome.language][1] += 1
    return {language: tuple(counts) for language, counts in totals.items()}
