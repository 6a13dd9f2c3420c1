"""Public HTML made lighter without changing what a browser shows or does.

Template indentation goes: a run of white space holding a line break is one line break to
a browser (except in ``<pre>`` and ``<textarea>``, kept as written), so each line loses its
leading and trailing white space and blank lines go. Links within the site
and forms keep their letters as letters: ``/ar/قصص/`` rather than six bytes a letter of
``/ar/%D9%82%D8%B5%D8%B5/``; browsers encode them again when they follow the link.
"""

import functools
import re
import unicodedata
from urllib.parse import unquote_to_bytes

KEPT_AS_WRITTEN = re.compile(rb"<(pre|textarea)\b.*?</\1>", re.S | re.I)
# An attribute value that is an address on this site with percent-encoding in it; only
# those of href and action are rewritten (see _readable_link).
ENCODED_SITE_ADDRESS = re.compile(rb'="(/[^"%]*%[^"]*)"')
LINK_ATTRIBUTES = (b"href", b"action")
# Percent-encoded UTF-8 of characters beyond ASCII (a lead byte, then continuation bytes).
ENCODED_LETTERS = re.compile(rb"(?:%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f])+)+")


def _without_indentation(html):
    # Per line, which is many times faster than one regular expression over the page.
    lines = (line.strip() for line in html.split(b"\n"))
    text = b"\n".join(line for line in lines if line)
    # White space at either end stays, as one line break: it may keep two words apart.
    if html[:1].isspace():
        text = b"\n" + text
    if html[-1:].isspace() and not text.endswith(b"\n"):
        text += b"\n"
    return text


def _letters(match):
    encoded = match.group()
    try:
        text = unquote_to_bytes(encoded).decode()
    except UnicodeDecodeError:
        return encoded
    # Only letters, marks and digits: never an invisible or direction-changing character.
    if all(unicodedata.category(char)[0] in "LMN" for char in text):
        return text.encode()
    return encoded


@functools.lru_cache(maxsize=4096)
def _readable(address):
    # The same few hundred addresses (menus, sections, glossary) recur on every page.
    return ENCODED_LETTERS.sub(_letters, address)


def _readable_links(body):
    def readable(match):
        if not body.endswith(LINK_ATTRIBUTES, 0, match.start()):
            return match.group()
        return b'="' + _readable(match.group(1)) + b'"'

    return ENCODED_SITE_ADDRESS.sub(readable, body)


def tidy_html(body):
    if KEPT_AS_WRITTEN.search(body) is None:
        body = _without_indentation(body)
    else:
        parts, done = [], 0
        for kept in KEPT_AS_WRITTEN.finditer(body):
            parts += [_without_indentation(body[done : kept.start()]), kept.group()]
            done = kept.end()
        body = b"".join([*parts, _without_indentation(body[done:])])
    return _readable_links(body)
