"""Plain-language measures of a text: a readability score, a reading age, long sentences.

Each formula is the Flesch reading ease as adapted to its language, so all of them read on
the same 0–100 scale (higher is easier) and share one table of reading ages. There is no
such formula for Arabic. Syllables are counted with the hyphenation dictionaries of
``pyphen`` and a vowel-group count, taking the larger: dictionaries never break off a
single letter ("idea" stays whole), and vowel groups miss some vowels that stand apart
("día", "neue").

Pure text in, numbers out: the apps pass in the text and the glossary words.
"""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyphen


def flesch_reading_ease(words, sentences, syllables):
    """English (Flesch, 1948)."""
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def fernandez_huerta(words, sentences, syllables):
    """Spanish (Fernández Huerta, 1959), with sentence length in words per sentence."""
    return 206.84 - 60 * (syllables / words) - 1.02 * (words / sentences)


def kandel_moles(words, sentences, syllables):
    """French (Kandel and Moles, 1958)."""
    return 207 - 1.015 * (words / sentences) - 73.6 * (syllables / words)


def amstad(words, sentences, syllables):
    """German (Amstad, 1978)."""
    return 180 - (words / sentences) - 58.5 * (syllables / words)


@dataclass(frozen=True)
class Formula:
    name: str
    score: Callable[[int, int, int], float]


FORMULAS = {
    "en": Formula("Flesch reading ease", flesch_reading_ease),
    "es": Formula("Fernández-Huerta", fernandez_huerta),
    "fr": Formula("Kandel–Moles", kandel_moles),
    "de": Formula("Amstad", amstad),
}


@dataclass(frozen=True)
class ReadingAge:
    youngest: int
    oldest: int | None  # None: "and over"

    def is_above(self, maximum):
        """Too hard for readers of ``maximum`` years: the band starts above that age."""
        return self.youngest > maximum


# Flesch's bands of school grades (US grade + 5 = age at the end of that grade), as
# (lowest score, reading age): 90 and over reads at about 10–11, below 30 needs a degree.
READING_AGE_BANDS = (
    (90, ReadingAge(10, 11)),
    (80, ReadingAge(11, 12)),
    (70, ReadingAge(12, 13)),
    (60, ReadingAge(13, 15)),
    (50, ReadingAge(15, 18)),
    (30, ReadingAge(18, 21)),
    (float("-inf"), ReadingAge(21, None)),
)


def reading_age(score):
    for lowest, age in READING_AGE_BANDS:
        if score >= lowest:
            return age
    raise ValueError(score)  # unreachable: the last band has no lower limit


# Counting ------------------------------------------------------------------------

LETTER = r"(?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670])"
WORD = re.compile(rf"{LETTER}+(?:['’\-]{LETTER}+)*")
SENTENCE_END = re.compile(r"(?:(?<=[.!?…؟])|(?<=[.!?…؟][\"”’»)\]]))\s+")
LIST_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
ADDRESS = re.compile(r"\s*\((?:[a-z][a-z0-9+.-]*:|/|#)[^\s)]*\)|\S+://\S+|\S+@\S+\.\S+")
# Words before a full stop that does not end the sentence.
ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "prof", "vs", "approx", "eg", "ie", "ej", "ex"}
ABBREVIATIONS |= {"bzw", "ca", "usw", "sr", "sra", "st", "nr", "vgl", "zb", "dh"}

VOWELS = {
    "en": "aeiouy",
    "es": "aeiouáéíóúü",
    "fr": "aeiouyàâäéèêëîïôöùûüÿœæ",
    "de": "aeiouyäöü",
}


def words(text):
    return WORD.findall(text)


def _ends_sentence(piece):
    last = piece.rstrip('"”’»)]').rstrip(".").split()[-1:]
    word = last[0].replace(".", "").casefold() if last else ""
    return not (piece.rstrip().endswith(".") and (len(word) == 1 or word in ABBREVIATIONS))


def split_sentences(text):
    """Sentences of a plain text: each line (paragraph, heading, list item) ends one too."""
    sentences = []
    for line in ADDRESS.sub("", text).splitlines():
        line = LIST_MARKER.sub("", line.strip())
        pending = ""
        for piece in SENTENCE_END.split(line):
            pending = f"{pending} {piece}".strip()
            if pending and _ends_sentence(pending):
                sentences.append(pending)
                pending = ""
        if words(pending):
            sentences.append(pending)
    return [sentence for sentence in sentences if words(sentence)]


@functools.cache
def _dictionary(language):
    return pyphen.Pyphen(lang=language)


def vowel_groups(word, language):
    """Syllables as groups of vowels, with each language's commonest exceptions."""
    word = word.casefold()
    groups = re.findall(f"[{VOWELS[language]}]+", word)
    count = len(groups)
    if language == "en":
        silent_e = word.endswith("e") and not word.endswith(("ee", "ye"))
        if count > 1 and silent_e and not re.search(f"[^{VOWELS['en']}]le$", word):
            count -= 1  # "create", "use"; but "simple" keeps its final syllable
        # "idea", "diagnosis", "trial"; but "social", "region", "nation" keep one.
        count += len(re.findall(r"(?<![cstgx])i[ao]", word)) + word.endswith("ea")
    elif language == "fr" and count > 1 and re.search(f"[^{VOWELS['fr']}]es?$", word):
        count -= 1  # "moelle", "elles": a mute final e
    elif language == "es":
        # Two strong vowels, or an accented í/ú beside another vowel, are two syllables.
        for group in groups:
            count += len(re.findall(r"(?=[aeoáéó][aeoáéó])", group))
            count += len(re.findall(r"(?=[íú][aeiouáéó]|[aeiouáéó][íú])", group))
    elif language == "de":
        count += word.count("eue") + word.count("äue")  # "neue", "Bräue"
    return count


def count_syllables(word, language):
    total = 0
    for part in re.split(r"['’\-]", word):
        if not re.search(f"[{VOWELS[language]}]", part.casefold()):
            continue  # "l'", "n't"
        by_dictionary = len(_dictionary(language).positions(part)) + 1
        total += max(by_dictionary, vowel_groups(part, language))
    return max(total, 1)


# Analysis ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class Analysis:
    language: str
    formula: Formula | None
    score: float | None
    reading_age: ReadingAge | None
    sentences: int
    words: int
    longest: list[Sentence]

    def is_above(self, maximum):
        return self.reading_age is not None and self.reading_age.is_above(maximum)


def longest_sentences(sentences, count=3):
    """The ``count`` longest sentences with their word counts, longest first."""
    measured = [Sentence(sentence, len(words(sentence))) for sentence in sentences]
    return sorted(measured, key=lambda sentence: -sentence.words)[:count]


def analyse(text, language):
    """Score ``text`` (plain text, one block per line) written in ``language``.

    None when the text has no words; a score of None when the language has no formula.
    """
    sentences = split_sentences(text)
    all_words = [word for sentence in sentences for word in words(sentence)]
    if not all_words:
        return None
    formula = FORMULAS.get(language)
    score = None
    if formula is not None:
        syllables = sum(count_syllables(word, language) for word in all_words)
        score = round(formula.score(len(all_words), len(sentences), syllables), 1)
    return Analysis(
        language=language,
        formula=formula,
        score=score,
        reading_age=None if score is None else reading_age(score),
        sentences=len(sentences),
        words=len(all_words),
        longest=longest_sentences(sentences),
    )


def _normal(text):
    return " ".join(text.split()).casefold()


def glossary_words(text, terms: Iterable[tuple[str, Iterable[str]]]):
    """The terms used in ``text``, in order of first use.

    ``terms`` pairs each term's name with the forms that count as a use of it, matched as
    whole words regardless of case and line breaks.
    """
    found = {}
    for name, variants in terms:
        forms = sorted({_normal(form) for form in variants if form.strip()}, key=len)[::-1]
        if not forms:
            continue
        body = "|".join(r"\s+".join(map(re.escape, form.split())) for form in forms)
        match = re.search(rf"(?<!\w)(?:{body})(?!\w)", text, re.IGNORECASE)
        if match and name not in found:
            found[name] = match.start()
    return sorted(found, key=found.get)
