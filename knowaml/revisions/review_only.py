"""Recording a review that found nothing to change: the live page stays as it is, and the
review is recorded as an approval records it (reviewer, role, date; for a translation, its
records' reviewer), with a step in the page's history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from education.models import Article, Page

from ..invalidation import forget_translation
from ..languages import SOURCE_LANGUAGE, language_codes
from ..translations.models import TranslationRecord
from ..translations.registry import target_languages
from ..translations.roles import can_review
from ..translations.status import TRANSLATED, records_by_object, status_of
from .columns import is_live, record_step
from .decisions import set_review_record

# The pages that carry a review record and a review date.
REVIEWABLE = (Article, Page)


def may_record_review(user, obj, language):
    """Whether ``user`` may review ``obj`` in ``language``: as for approving a revision."""
    if not (user.is_active and user.is_staff) or not isinstance(obj, REVIEWABLE):
        return False
    if language == SOURCE_LANGUAGE:
        return user.has_perm("revisions.approve_clinical")
    return language in target_languages() and can_review(user, language)


def review_languages(user, obj):
    """The languages in which ``user`` may record a review of the live ``obj``."""
    if not isinstance(obj, REVIEWABLE) or not is_live(obj):
        return []
    return [code for code in language_codes() if may_record_review(user, obj, code)]


@transaction.atomic
def record_review(obj, user, *, language=SOURCE_LANGUAGE, role="", next_review=None):
    """Record ``user``'s review of the live ``obj`` in ``language``; nothing else changes."""
    obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if not may_record_review(user, obj, language):
        raise PermissionDenied(_("You may not review this page in this language."))
    if not is_live(obj):
        raise ValidationError(_("Only a published page can be reviewed without changes."))
    if language == SOURCE_LANGUAGE:
        return record_clinical_review(obj, user, role, next_review)
    return record_translation_review(obj, user, language)


def record_clinical_review(obj, user, role, next_review):
    today = timezone.localdate()
    if next_review is None or next_review <= today:
        raise ValidationError(_("Give the date of the next review: it must be after today."))
    set_review_record(obj, user, (role or "").strip(), today)
    obj.next_review = next_review
    obj._change_reason = f"Reviewed without changes (clinical, {SOURCE_LANGUAGE})"
    obj._history_user = user
    obj.save()
    return obj


def record_translation_review(obj, user, language):
    name = get_language_info(language)["name_translated"]
    records = records_by_object(type(obj), [obj.pk], language).get(obj.pk, {})
    if status_of(obj, language, records).state != TRANSLATED:
        raise ValidationError(
            _(
                "The %(language)s translation is missing or needs updating to the current "
                "English, so it cannot be reviewed as it is."
            )
            % {"language": name}
        )
    others = TranslationRecord.objects.for_object(obj).filter(language=language)
    others = others.exclude(translated_by=user)
    if not others.exists():
        raise ValidationError(_("You translated this page, so someone else must review it."))
    others.update(reviewed_at=timezone.now(), reviewed_by=user)
    forget_translation(obj, language)
    record_step(obj, user, f"Reviewed without changes (translation, {language})")
    return obj
