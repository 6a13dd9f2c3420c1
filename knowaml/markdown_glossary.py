"""A Markdown extension that links the first use of each glossary word to its explanation.

The apps pass the words in, so this module imports no app.
"""

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Never explain a word inside these: a link inside a link is invalid, and headings and
# code must read exactly as written.
SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "abbr", "dt", "dfn"}
LINK_CLASS = "glossary-term"
DESCRIBED_BY_PREFIX = "explained-"
# Markdown keeps entities and stashed HTML as placeholders until it serialises the tree.
PLACEHOLDER = re.compile("(\x02[^\x03]*\x03)")


@dataclass(frozen=True)
class Term:
    key: str  # unique, used in element ids
    url: str
    variants: tuple  # the word and its other forms, in the article's language


@dataclass(frozen=True)
class Glossary:
    """The words to explain in one text.

    ``version`` changes whenever the words, their addresses or their language do: it is part
    of the rendering cache key. ``terms`` is called only when the text is rendered afresh.
    """

    version: str
    terms: Callable[[], Sequence[Term]]


def _normal(text):
    return " ".join(text.split()).casefold()


class _Matcher:
    def __init__(self, terms):
        self.forms = {}
        for term in terms:
            for variant in term.variants:
                self.forms.setdefault(_normal(variant), term)
        alternatives = sorted(self.forms, key=len, reverse=True)  # "bone marrow biopsy" first
        body = "|".join(r"\s+".join(map(re.escape, form.split())) for form in alternatives)
        self.pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if body else None
        self.used = {}

    def split(self, text):
        """``text`` as its leading text and ``(link, tail)`` pairs, one per first use."""
        head, links = [], []
        for piece in PLACEHOLDER.split(text):
            if piece.startswith("\x02"):
                (links[-1][1] if links else head).append(piece)
                continue
            position = 0
            for match in self.pattern.finditer(piece):
                term = self.forms.get(_normal(match.group()))
                if term is None or term.key in self.used:
                    continue
                self.used[term.key] = term
                (links[-1][1] if links else head).append(piece[position : match.start()])
                link = etree.Element("a", {"href": term.url, "class": LINK_CLASS})
                link.set("aria-describedby", DESCRIBED_BY_PREFIX + term.key)
                link.text = match.group()
                links.append((link, []))
                position = match.end()
            (links[-1][1] if links else head).append(piece[position:])
        return "".join(head), [(link, "".join(tail)) for link, tail in links]


class GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md, terms):
        super().__init__(md)
        self.terms = terms
        self.matched = []

    def run(self, root):
        matcher = _Matcher(self.terms)
        if matcher.pattern is not None:
            self._walk(root, matcher)
        self.matched = list(matcher.used.values())

    def _walk(self, parent, matcher):
        children = list(parent)
        if parent.text:
            parent.text = self._insert(parent, 0, parent.text, matcher)
        for child in children:
            if child.tag not in SKIP:
                self._walk(child, matcher)
            if child.tail:
                after = list(parent).index(child) + 1
                child.tail = self._insert(parent, after, child.tail, matcher)

    @staticmethod
    def _insert(parent, index, text, matcher):
        head, links = matcher.split(text)
        for offset, (link, tail) in enumerate(links):
            link.tail = tail or None
            parent.insert(index + offset, link)
        return head or None


class GlossaryExtension(Extension):
    """Link the first use of each term; afterwards ``matched`` lists them in order of use.

    Matching is case-insensitive and respects Unicode word boundaries. Only text outside
    links, headings, code and abbreviations is touched.
    """

    def __init__(self, terms):
        super().__init__()
        self.terms = terms
        self.processor = None

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's name)
        self.processor = GlossaryTreeprocessor(md, self.terms)
        # After inline patterns (so links and code are elements), abbreviations and the
        # table of contents, and after backslash escapes are restored.
        md.treeprocessors.register(self.processor, "glossary", -1)

    @property
    def matched(self):
        return self.processor.matched if self.processor else []
