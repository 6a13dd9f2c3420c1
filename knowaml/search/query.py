"""From what a visitor typed to ranked objects, in one read of the index.

A query becomes *concepts*: each word, or a phrase an editor listed as a synonym, with the
forms that count as it (the synonyms, longer words it begins, or the nearest known word when it
is misspelt). A page ranks by how many concepts it has, then by where they appear (title above
summary above body, weighted by how rare the word is), with a bonus for neighbouring words
found together. English text is searched too, a little below the visitor's language, so that
English queries and untranslated pages are found.
"""

import collections
import dataclasses

from django.db.models import Q

from ..languages import SOURCE_LANGUAGE
from . import text
from .models import Posting
from .vocabulary import vocabulary

ENGLISH_WEIGHT = 0.8
# A shorter unknown word is not taken as the beginning of longer ones ("de" is not "demo").
MIN_PREFIX = 4


@dataclasses.dataclass
class Concept:
    forms: list  # tuples of terms; a page has the concept if it has every term of one form
    typed: tuple  # the terms as typed


@dataclasses.dataclass
class Parsed:
    language: str
    words: object  # the language's Vocabulary
    terms: list
    sequence: list  # every word's stem, common words included
    concepts: list
    corrections: dict  # misspelt term: known term

    def index_terms(self):
        found = {term for concept in self.concepts for form in concept.forms for term in form}
        return found | set(self.pairs())

    def pairs(self):
        return [f"{a} {b}" for a, b in zip(self.sequence, self.sequence[1:], strict=False)]

    def marked_terms(self):
        return {term for concept in self.concepts for form in concept.forms for term in form}


def query_terms(query, language):
    found = text.terms(query, language)
    # A query of common words only ("what is it") still looks for them.
    return found or [text.stem(w, language) for w in text.words(query) if len(w) > 1]


def _synonym_spans(terms, synonyms):
    spans = []
    for forms in synonyms:
        for form in forms:
            for start in range(len(terms) - len(form) + 1):
                if tuple(terms[start : start + len(form)]) == form:
                    spans.append((start, start + len(form), forms))
    spans.sort(key=lambda span: (span[0] - span[1], span[0]))
    chosen, covered = [], set()
    for start, end, forms in spans:
        if not covered & set(range(start, end)):
            chosen.append((start, end, forms))
            covered |= set(range(start, end))
    return chosen


def parse(query, language, words, unknown):
    """``words``: the language's vocabulary; ``unknown``: terms known in no searched language,
    which may be corrected."""
    terms = query_terms(query, language)
    concepts, corrections = {}, {}
    for start, end, forms in _synonym_spans(terms, words.synonyms):
        concepts[start] = Concept(forms=list(forms), typed=tuple(terms[start:end]))
    covered = {
        i for start, concept in concepts.items() for i in range(start, start + len(concept.typed))
    }
    for position, term in enumerate(terms):
        if position in covered:
            continue
        forms = [(term,)]
        if not words.knows(term):
            if len(term) >= MIN_PREFIX:
                forms += [(longer,) for longer in words.starting_with(term)]
            if term in unknown(language):
                corrected = words.closest(term)
                if corrected:
                    forms.append((corrected,))
                    corrections[term] = corrected
        concepts[position] = Concept(forms=forms, typed=(term,))
    ordered = [concepts[position] for position in sorted(concepts)]
    sequence = [text.stem(w, language) for w in text.words(query)]
    return Parsed(language, words, terms, sequence, ordered, corrections)


def parse_all(query, language):
    """The query read in the visitor's language and, when that is not English, in English."""
    languages = [language] if language == SOURCE_LANGUAGE else [language, SOURCE_LANGUAGE]
    known_words = {code: vocabulary(code) for code in languages}
    typed = {code: query_terms(query, code) for code in languages}
    known = {code: {t for t in typed[code] if known_words[code].knows(t)} for code in languages}
    # A word is misspelt only if no searched language knows it.
    folded_known = {
        w for w in text.words(query) if any(text.stem(w, code) in known[code] for code in languages)
    }

    def unknown(code):
        return {text.stem(w, code) for w in text.words(query) if w not in folded_known}

    return [parse(query, code, known_words[code], unknown) for code in languages]


def score(parsed, weights, idf):
    """``(concepts found, relevance)`` of one entry whose index terms are ``weights``."""
    found, relevance = 0, 0.0
    for concept in parsed.concepts:
        best = 0.0
        for form in concept.forms:
            if all(term in weights for term in form):
                best = max(best, sum(weights[t] * idf[t] for t in form))
        if best:
            found += 1
            relevance += best
    for pair in parsed.pairs():
        if pair in weights:
            relevance += weights[pair] * idf[pair]
    return found, relevance


def needed(parsed):
    """A page must have at least half of the query's concepts to be shown."""
    return max(1, (len(parsed.concepts) + 1) // 2)


def rank(parsed_list):
    """[(kind, object id, language matched)] best first, from one query of the index."""
    condition = Q()
    for parsed in parsed_list:
        condition |= Q(entry__language=parsed.language, term__in=parsed.index_terms())
    rows = Posting.objects.filter(condition).values_list(
        "entry__kind", "entry__object_id", "entry__language", "term", "weight"
    )
    entries = {}
    for kind, object_id, language, term, weight in rows:
        entries.setdefault((kind, object_id, language), {})[term] = weight
    by_language = {p.language: p for p in parsed_list}
    # Every entry with a searched term is in the rows: how many have it tells how rare it is.
    having = collections.Counter()
    for (_, _, language), weights in entries.items():
        having.update((language, term) for term in weights)
    idf = {
        p.language: {
            term: p.words.idf(count)
            for (language, term), count in having.items()
            if language == p.language
        }
        for p in parsed_list
    }
    best = {}
    for (kind, object_id, language), weights in entries.items():
        found, relevance = score(by_language[language], weights, idf[language])
        if language != parsed_list[0].language:
            relevance *= ENGLISH_WEIGHT
        if found < needed(by_language[language]):
            continue
        key = (kind, object_id)
        candidate = (found, relevance, language)
        if key not in best or candidate[:2] > best[key][:2]:
            best[key] = candidate
    ordered = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [(kind, object_id, matched[2]) for (kind, object_id), matched in ordered]
