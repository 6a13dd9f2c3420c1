"""Words as search compares them: case- and accent-free, stemmed in the text's language.

The same functions turn pages into index terms and queries into the terms they look for, so
"Recaídas", "recaidas" and "RECAIDA" meet on every database.
"""

import functools
import re
import unicodedata

import snowballstemmer

STEMMERS = {"en": "english", "es": "spanish", "fr": "french", "de": "german"}
WORD = re.compile(r"\w+")
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Larkey's "light10" stemmer (as in Lucene): the definite article, alone or after a joined
# preposition or conjunction, and common suffixes; Snowball's Arabic stemmer treats a word
# differently with and without its article.
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
# Words too common to tell pages apart; a query of nothing else still searches them.
STOP_WORDS = {
    "en": set(
        "a an and are as at be by can do does for from how i in is it its my of on or the "
        "to what when which who why will with you your".split()
    ),
    "es": set(
        "a al como con de del el en es la las lo los mi mis o para por que se su sus un una "
        "y cual cuando donde".split()
    ),
    "fr": set(
        "a au aux c ce ces d de des du en est et il j l la le les ma mes mon ou qu que quoi "
        "qui se sa son ses un une est-ce".split()
    ),
    "de": set("das der die den dem des ein eine einer ist und was wie mit von zu im in".split()),
    "ar": set("ما ماذا هل هو هي في من على عن الي او ان و".split()),
}


def fold(text):
    """Lower case without accents; Arabic without diacritics and with one form per letter."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
    text = ARABIC_MARKS.sub("", text)
    return unicodedata.normalize("NFC", text).translate(ARABIC_LETTERS)


def words(text):
    """The folded words of ``text``, in order."""
    return WORD.findall(fold(text))


@functools.cache
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMERS.get(language, "english"))


def arabic_stem(word):
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            word = word[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            word = word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=65536)
def stem(word, language):
    if word.isdigit():
        return word
    if language == "ar":
        return arabic_stem(word)
    if language not in STEMMERS:
        return word
    return _stemmer(language).stemWord(word)


def is_stop_word(word, language):
    return word in STOP_WORDS.get(language, ())


def terms(text, language):
    """The stems of ``text``'s words that tell pages apart, in order."""
    return [stem(w, language) for w in words(text) if len(w) > 1 and not is_stop_word(w, language)]
