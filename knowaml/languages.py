"""Which languages a page exists in, and how to fall back to the English source."""

from django.conf import settings
from django.utils import translation

SOURCE_LANGUAGE = "en"


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def language_name_local(code):
    return translation.get_language_info(code)["name_local"]


def language_bidi(code):
    return translation.get_language_info(code)["bidi"]
