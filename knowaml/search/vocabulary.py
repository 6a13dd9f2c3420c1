"""The words the index knows in each language, with editors' synonyms: what a query is matched
against before the index is read. Each process keeps them until the index or a synonym
changes (knowaml/search/indexing.py changes the version)."""

import collections
import math
import secrets
import threading

from django.core.cache import cache

from . import text
from .indexing import VERSION_KEY
from .models import Entry, Synonym, Word

_kept = {}
_lock = threading.Lock()


def edit_distance(a, b, limit):
    """Levenshtein distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def trigrams(term):
    padded = f"  {term} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Vocabulary:
    def __init__(self, language):
        self.language = language
        self.terms = dict(Word.objects.filter(language=language).values_list("term", "word"))
        self.size = Entry.objects.filter(language=language).count()
        self.synonyms = [
            [form for form in (tuple(text.terms(f, language)) for f in s.form_list()) if form]
            for s in Synonym.objects.filter(language=language)
        ]
        self._by_trigram = None

    def idf(self, entries_with_term):
        """How rare a term is, from how many of this language's entries have it."""
        return math.log(1 + (self.size + 1) / (entries_with_term + 0.5))

    def word(self, term):
        return self.terms.get(term, term)

    def knows(self, term):
        return term in self.terms

    def starting_with(self, term, limit=10):
        """Known words that begin with ``term`` ("chemo": "chemotherapi"), shortest first."""
        found = [t for t in self.terms if t.startswith(term) and t != term]
        return sorted(found, key=lambda t: (len(t), t))[:limit]

    def closest(self, term):
        """The known word nearest to a misspelt ``term``, or None: one edit for a word of five to
        seven letters, two for longer ones; shorter words are never corrected."""
        limit = 0 if len(term) < 5 else 1 if len(term) < 8 else 2
        if not limit:
            return None
        if self._by_trigram is None:
            index = collections.defaultdict(list)
            for known in self.terms:
                for gram in trigrams(known):
                    index[gram].append(known)
            self._by_trigram = index
        shared = collections.Counter()
        for gram in trigrams(term):
            shared.update(self._by_trigram.get(gram, ()))
        best = None
        for known, _ in shared.most_common(50):
            distance = edit_distance(term, known, limit)
            if distance <= limit:
                rank = (distance, known)
                best = min(best or rank, rank)
        return best[1] if best else None


def vocabulary(language):
    version = cache.get(VERSION_KEY)
    if version is None:  # a fresh or emptied cache
        cache.add(VERSION_KEY, secrets.token_hex(6), None)
        version = cache.get(VERSION_KEY)
    kept = _kept.get(language)
    if kept and kept[0] == version:
        return kept[1]
    with _lock:
        loaded = Vocabulary(language)
        _kept[language] = (version, loaded)
    return loaded
