"""Word-by-word differences between two versions of a text, for people to read.

``word_diff(old, new)`` returns opcodes; ``sides(opcodes)`` lays them out as the two
columns "Before" and "Now". Both work on plain text or Markdown: link addresses and
Markdown markers (``**``, ``##``, ``](``) are whole tokens, so a change never splits them.
"""

import difflib
import re
from dataclasses import dataclass

EQUAL, DELETE, INSERT, REPLACE = "equal", "delete", "insert", "replace"
SAME, REMOVED, ADDED, GAP = "same", "removed", "added", "gap"

TOKEN = re.compile(
    r"""
    \s+                                  # whitespace, kept so the text reads as it was written
    | (?:https?://|mailto:)[^\s()<>]+    # an address is one token
    | \w+(?:['’.-]\w+)*                  # a word, with inner apostrophes, dots and hyphens
    | ([^\w\s])\1*                       # a run of one mark: "**", "##", "---", "."
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Opcode:
    op: str
    old: str
    new: str


def tokens(text):
    return [match.group(0) for match in TOKEN.finditer(text or "")]


def comparison_key(token):
    """Spaces compare by what they do (space, line break, paragraph break), not how many."""
    if not token.isspace():
        return token
    breaks = token.count("\n")
    return " " if not breaks else "\n" if breaks == 1 else "\n\n"


def word_diff(old, new):
    """Opcodes turning ``old`` into ``new``; joining each side gives the texts back."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(
        None,
        [comparison_key(t) for t in old_tokens],
        [comparison_key(t) for t in new_tokens],
        autojunk=False,
    )
    opcodes = [
        Opcode(tag, "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return merge_small_gaps(opcodes)


def merge_small_gaps(opcodes):
    """A lone space between two changes joins them: one "a b" change, not "a" and "b"."""
    merged = []
    for index, opcode in enumerate(opcodes):
        between_changes = (
            opcode.op == EQUAL
            and opcode.old.isspace()
            and merged
            and merged[-1].op != EQUAL
            and index + 1 < len(opcodes)
            and opcodes[index + 1].op != EQUAL
        )
        if between_changes or (merged and merged[-1].op != EQUAL and opcode.op != EQUAL):
            previous = merged.pop()
            old, new = previous.old + opcode.old, previous.new + opcode.new
            merged.append(Opcode(kind_of(old, new), old, new))
        else:
            merged.append(opcode)
    return merged


def kind_of(old, new):
    if old and new:
        return REPLACE
    return DELETE if old else INSERT


def shorten(text, context, at_start, at_end):
    """Unchanged text far from any change shrinks to about ``context`` words beside it."""
    words = tokens(text)
    # Tokens alternate word and space, so ``context`` words are about twice as many tokens.
    reach = 2 * context if context is not None else None
    if reach is None or len(words) <= 2 * reach + 1:
        return [(SAME, text)]
    parts = []
    if not at_start:
        parts.append((SAME, "".join(words[:reach])))
    parts.append((GAP, ""))
    if not at_end:
        parts.append((SAME, "".join(words[-reach:])))
    return parts


def sides(opcodes, context=12):
    """The "Before" and "Now" columns: lists of ``(kind, text)`` with kinds same, removed,
    added, and gap (unchanged text left out). ``context=None`` keeps all unchanged text."""
    before, now = [], []
    for index, opcode in enumerate(opcodes):
        if opcode.op == EQUAL:
            parts = shorten(
                opcode.old, context, at_start=index == 0, at_end=index == len(opcodes) - 1
            )
            before.extend(parts)
            now.extend(parts)
            continue
        if opcode.old:
            before.append((REMOVED, opcode.old))
        if opcode.new:
            now.append((ADDED, opcode.new))
    return before, now


def has_changes(opcodes):
    return any(opcode.op != EQUAL for opcode in opcodes)
