"""Public HTML made lighter without changing what a browser shows or does.

Template indentation goes: a run of white space holding a line break is one line break to
a browser (except in ``<pre>`` and ``<textarea>``, kept as written). Links within the site
and forms keep their letters as letters: ``/ar/قصص/`` rather than six bytes a letter of
``/ar/%D9%82%D8%B5%D8%B5/``; browsers encode them again when they follow the link.
"""

import re
import unicodedata
from urllib.parse import unquote_to_bytes

WHITE_SPACE = re.compile(rb"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)|[ \t]*\n\s*", re.S | re.I)
SITE_LINK = re.compile(rb'(href|action)="(/[^"]*)"')
# Percent-encoded UTF-8 of characters beyond ASCII (a lead byte, then continuation bytes).
ENCODED_LETTERS = re.compile(rb"(?:%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f])+)+")


def _line_break(match):
    return match.group(1) or b"\n"


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


def _readable_link(match):
    return match.group(1) + b'="' + ENCODED_LETTERS.sub(_letters, match.group(2)) + b'"'


def tidy_html(body):
    body = WHITE_SPACE.sub(_line_break, body)
    return SITE_LINK.sub(_readable_link, body)
