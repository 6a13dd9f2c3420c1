"""What review covers: the reviewed models and columns, the live row, a revision's values
as stored, and the history entry each review step leaves."""

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from education.models import Article, GlossaryTerm, Page
from stories.models import Story

from ..content import Status
from ..languages import SOURCE_LANGUAGE, language_codes
from ..translations.registry import column, translatable_fields
from . import references
from .models import Revision

REVIEWED_MODELS = (Article, Page, Story, GlossaryTerm)
# Set only by approval, never proposed.
REVIEW_RECORD = ("last_reviewed", "reviewer_name", "reviewer_role")
# Visitor-facing columns that are not translated.
UNTRANSLATED_CONTENT = {Story: ("first_name", "role", "portrait", "portrait_is_decorative")}
OPEN_STATES = (Revision.State.DRAFT, Revision.State.SUBMITTED, Revision.State.CHANGES_REQUESTED)
EDITABLE_STATES = (Revision.State.DRAFT, Revision.State.CHANGES_REQUESTED)
# A draft goes live only through review: the one revision of the status column.
PUBLISH = {"status": Status.PUBLISHED.value}


def is_reviewed_model(model):
    return model in REVIEWED_MODELS


def is_live(obj):
    """Visitors can see the saved row: published articles, pages and stories; every term."""
    if obj.pk is None or not is_reviewed_model(type(obj)):
        return False
    if isinstance(obj, GlossaryTerm):
        return True
    live = type(obj)._base_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
    return live == Status.PUBLISHED


def content_columns(model):
    """Columns whose change visitors would see, and so go through review."""
    names = [name for name in translatable_fields(model) if name not in REVIEW_RECORD]
    columns = [column(name, code) for name in names for code in language_codes()]
    return [*columns, *UNTRANSLATED_CONTENT.get(model, ())]


def related_lists(model):
    """Lists of related rows reviewed with their page, each proposed whole under its name."""
    return [references.NAME] if references.has_references(model) else []


def current_value(obj, name):
    if name in related_lists(type(obj)):
        return references.snapshot(obj)
    return stored(getattr(obj, name))


def language_of(name):
    for code in language_codes():
        if name.endswith(f"_{code}"):
            return code
    return SOURCE_LANGUAGE


def stored(value):
    """A column's value as JSON: a file by its stored name, empty text as ""."""
    if isinstance(value, FieldFile):
        return value.name or ""
    return "" if value is None else value


def live_row(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def open_revisions(obj):
    return Revision.objects.for_object(obj).filter(state__in=OPEN_STATES)


def is_publish(revision):
    return revision.values == PUBLISH


def publish_revisions(obj):
    return Revision.objects.for_object(obj).filter(values__has_key="status")


def record_step(obj, user, reason):
    """A history entry for a review step that leaves the row as it is."""
    user = user if user is not None and user.is_authenticated else None
    obj.history.bulk_history_create(
        [obj], update=True, default_user=user, default_change_reason=reason[:100]
    )


def describe(revision):
    """How history names a revision: English, like every stored label."""
    kind = "translation" if revision.language != SOURCE_LANGUAGE else revision.kind
    return f"revision #{revision.pk} ({kind}, {revision.language})"


def check_publish_kind(kind):
    if kind != Revision.Kind.CLINICAL:
        raise ValidationError(
            _("Publishing a page is a clinical change: a clinical reviewer must approve it.")
        )


def scheduled_publication(obj):
    """The page's go-live time, when it is still to come."""
    go_live_at = getattr(obj, "go_live_at", None)
    return go_live_at if go_live_at and go_live_at > timezone.now() else None
