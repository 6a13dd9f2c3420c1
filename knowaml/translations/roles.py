"""Who may edit which language."""

from ..languages import language_codes
from .models import review_permission, translate_permission
from .registry import target_languages

EDIT_ALL = "translations.edit_all_languages"


def edits_everything(user):
    return user.is_active and (user.is_superuser or user.has_perm(EDIT_ALL))


def languages_for(user):
    """Languages whose fields this user may write."""
    if edits_everything(user):
        return language_codes()
    return [
        code
        for code in target_languages()
        if user.has_perm(f"translations.{translate_permission(code)}")
    ]


def is_translator(user):
    return not edits_everything(user) and bool(languages_for(user))


def can_review(user, language):
    """Reviewing, like translating, is per language."""
    return user.is_active and (
        user.is_superuser or user.has_perm(f"translations.{review_permission(language)}")
    )
