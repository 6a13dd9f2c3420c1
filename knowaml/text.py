"""Text as it is stored: one kind of line ending, no spaces at line ends, no blank edges.

Browsers send textareas with CRLF, files may carry either; stored text that differs only in
such invisible ways would look "changed" and mark good translations out of date.
"""

import re

from django import forms

SPACE_AT_LINE_END = re.compile(r"[^\S\n]+$", re.MULTILINE)


def normalise_text(value):
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return SPACE_AT_LINE_END.sub("", value).strip("\n").rstrip()


class NormalisedTextField(forms.CharField):
    def to_python(self, value):
        return normalise_text(super().to_python(value))
