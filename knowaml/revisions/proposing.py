"""Proposing a revision of live content, or the publication of a draft."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..content import Status
from ..languages import SOURCE_LANGUAGE
from .columns import (
    EDITABLE_STATES,
    OPEN_STATES,
    PUBLISH,
    check_publish_kind,
    content_columns,
    current_value,
    describe,
    language_of,
    live_row,
    publish_revisions,
    record_step,
    related_lists,
    stored,
)
from .decisions import submit_revision
from .models import Revision


@transaction.atomic
def propose(obj, values, author, *, language=None, kind=Revision.Kind.CLINICAL, submit=False):
    """Record a pending revision of ``obj``; the live row is not changed."""
    live = live_row(obj)
    if "status" in values:
        if values != PUBLISH:
            raise ValidationError(
                _("A revision may only publish a page, and then change nothing else.")
            )
        return propose_publish(obj, author, submit=submit, kind=kind)
    allowed = {*content_columns(type(obj)), *related_lists(type(obj))}
    refused = sorted(set(values) - allowed)
    if refused:
        raise ValidationError(
            _("These fields are not reviewed content: %(fields)s") % {"fields": ", ".join(refused)}
        )
    values = {name: stored(value) for name, value in values.items()}
    if language is None:
        languages = {language_of(name) for name in values}
        language = languages.pop() if len(languages) == 1 else SOURCE_LANGUAGE
    revision = (
        Revision.objects.for_object(obj)
        .filter(author=author, language=language, state__in=EDITABLE_STATES)
        .select_for_update()
        .first()
    )
    if revision is None:
        revision = Revision(content_object=live, language=language, author=author, kind=kind)
        revision.values, revision.live_values = {}, {}
    merged = {**revision.values, **values}
    current = {name: current_value(live, name) for name in merged}
    revision.values = {name: v for name, v in merged.items() if v != current[name]}
    revision.live_values = {name: current[name] for name in revision.values}
    if not revision.values:
        if revision.pk:
            revision.delete()
        return None
    revision.save()
    record_step(live, author, f"Proposed {describe(revision)}")
    if submit:
        submit_revision(revision, author, kind=kind)
    return revision


@transaction.atomic
def propose_publish(obj, author, *, kind=Revision.Kind.CLINICAL, submit=False):
    """Ask for a draft (or taken-down page) to be published; someone else must approve it."""
    live = live_row(obj)
    if not hasattr(live, "status") or live.status == Status.PUBLISHED:
        raise ValidationError(_("Only a page that is not live can be published."))
    check_publish_kind(kind)
    revision = publish_revisions(live).filter(state__in=OPEN_STATES).first()
    if revision is None:
        revision = Revision.objects.create(
            content_object=live,
            language=SOURCE_LANGUAGE,
            author=author,
            kind=Revision.Kind.CLINICAL,
            values=dict(PUBLISH),
            live_values={"status": live.status},
        )
        record_step(live, author, f"Proposed {describe(revision)}: publish")
    if (
        submit
        and revision.state in EDITABLE_STATES
        and revision.author_id == getattr(author, "pk", None)
    ):
        submit_revision(revision, author, kind=kind)
    return revision
