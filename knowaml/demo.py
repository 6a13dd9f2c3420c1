"""Helpers for loading demo content without duplicating it or overwriting editors' work."""

from .content import SOURCE_SLUG
from .languages import SOURCE_LANGUAGE, language_codes
from .slughistory.models import OldSlug


def find_existing(model, english_slug):
    """The object that has, or used to have, this English slug."""
    obj = model.objects.filter(**{SOURCE_SLUG: english_slug}).first()
    if obj is None:
        old = (
            OldSlug.objects.for_model(model)
            .filter(language=SOURCE_LANGUAGE, slug=english_slug)
            .first()
        )
        if old is not None:
            obj = model.objects.filter(pk=old.object_id).first()
    return obj


def translated_values(data):
    """``{"en": {"title": …}, "es": {…}}`` → ``{"title_en": …, "title_es": …}``."""
    return {
        f"{name}_{code}": value
        for code in language_codes()
        for name, value in data.get(code, {}).items()
    }
