"""The review steps: submitting, approving (which applies the revision to the live row),
requesting changes and discarding, and who may take each."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..invalidation import forget_translation
from ..languages import SOURCE_LANGUAGE, language_codes
from ..translations.models import TranslationRecord
from ..translations.registry import column
from ..translations.roles import can_review
from . import references
from .columns import (
    EDITABLE_STATES,
    OPEN_STATES,
    REVIEWED_MODELS,
    check_publish_kind,
    describe,
    is_publish,
    publish_revisions,
    record_step,
    related_lists,
    scheduled_publication,
    stored,
)
from .models import Revision


def may_approve(user, revision):
    """Whether ``user`` holds the right to decide on ``revision`` (authorship aside)."""
    if not (user.is_active and user.is_staff):
        return False
    if revision.language != SOURCE_LANGUAGE:
        return can_review(user, revision.language)
    if revision.kind == Revision.Kind.CLINICAL:
        return user.has_perm("revisions.approve_clinical")
    opts = revision.content_type.model_class()._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def check_state(revision, *states):
    if revision.state not in states:
        raise ValidationError(
            _("This revision is “%(state)s”; that step is not possible now.")
            % {"state": revision.get_state_display()}
        )


def check_decider(revision, user):
    if revision.author_id is not None and revision.author_id == user.pk:
        raise PermissionDenied(_("You wrote this revision, so someone else must review it."))
    if not may_approve(user, revision):
        raise PermissionDenied(_("You may not review this kind of revision."))


def check_may(revision, user, action):
    """Refuse a step the user may never take on this revision, whatever its state."""
    # ``user`` is None for a command-line import, which proposes without an author.
    pk, superuser = getattr(user, "pk", None), getattr(user, "is_superuser", False)
    if action == "submit" and revision.author_id != pk:
        raise PermissionDenied(_("Only the revision's author can submit it."))
    if action == "discard" and revision.author_id != pk and not superuser:
        raise PermissionDenied(_("Only the revision's author can discard it."))
    if action in ("approve", "request-changes"):
        check_decider(revision, user)


def target(revision):
    obj = revision.content_object
    if obj is None:
        raise ValidationError(_("The page this revision changes no longer exists."))
    return obj


@transaction.atomic
def submit_revision(revision, user, *, kind=None):
    check_may(revision, user, "submit")
    check_state(revision, *EDITABLE_STATES)
    if kind is not None:
        if is_publish(revision):
            check_publish_kind(kind)
        revision.kind = kind
    revision.state = Revision.State.SUBMITTED
    revision.save()
    record_step(target(revision), user, f"Submitted {describe(revision)} for review")
    from .notifications import notify_reviewers

    transaction.on_commit(lambda: notify_reviewers(revision))
    return revision


submit = submit_revision


@transaction.atomic
def approve(revision, user, role=""):
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    check_state(revision, Revision.State.SUBMITTED)
    check_decider(revision, user)
    obj = target(revision)
    publish = "status" in revision.values
    if publish:
        check_publish(revision, obj)
    scheduled = publish and scheduled_publication(obj)
    today = timezone.localdate()
    proposal_files = []
    lists = {n: revision.values[n] for n in related_lists(type(obj)) if n in revision.values}
    for name, value in revision.values.items():
        if scheduled and name == "status":
            continue  # the clock publishes it at its time
        if name in lists:
            continue
        field = obj._meta.get_field(name)
        if isinstance(field, models.ImageField) and value:
            # The model processes a new picture on save (metadata, resized copies).
            with field.storage.open(value) as source:
                setattr(obj, name, ContentFile(source.read(), name=value.rsplit("/", 1)[-1]))
            proposal_files.append((field.storage, value))
        else:
            setattr(obj, name, value)
    clinical = revision.language == SOURCE_LANGUAGE and revision.kind == Revision.Kind.CLINICAL
    role = role.strip()
    if clinical and hasattr(obj, "last_reviewed"):
        set_review_record(obj, user, role, today)
    obj.validate_unique()  # an address taken since the revision was written
    if publish and not scheduled:
        obj.clean()  # the form's rules for going live (a story needs consent on file)
    reason = f"Approved {describe(revision)}" + (": publish at its time" if scheduled else "")
    for items in lists.values():
        references.apply(obj, items)
    obj._change_reason = reason[:100]
    obj._history_user = user
    obj.save()
    for storage, name in proposal_files:
        storage.delete(name)
    revision.state = Revision.State.SCHEDULED if scheduled else Revision.State.APPROVED
    revision.decided_by, revision.decided_at, revision.reviewer_role = user, timezone.now(), role
    revision.save()
    if revision.language != SOURCE_LANGUAGE:
        mark_translation_reviewed(obj, revision, user)
    return revision


def set_review_record(obj, user, role, today):
    """What visitors read as "Last reviewed" and "Reviewed by": set by a clinical review only."""
    obj.last_reviewed = today
    obj.reviewer_name = user.get_full_name() or user.get_username()
    for code in language_codes():
        setattr(obj, column("reviewer_role", code), role if code == SOURCE_LANGUAGE else "")


@transaction.atomic
def reopen_scheduled(obj, user):
    """The draft changed after its publication was approved: that approval no longer holds."""
    reopened = list(
        publish_revisions(obj).filter(state=Revision.State.SCHEDULED).select_for_update()
    )
    for revision in reopened:
        revision.state = Revision.State.SUBMITTED
        revision.decided_by, revision.decided_at = None, None
        revision.save()
        record_step(obj, user, f"Changed after approval: {describe(revision)} to review again")
        from .notifications import notify_reviewers

        transaction.on_commit(lambda revision=revision: notify_reviewers(revision))
    return reopened


def published_on_schedule(obj):
    """The clock published ``obj``: its scheduled approval is carried out."""
    publish_revisions(obj).filter(state=Revision.State.SCHEDULED).update(
        state=Revision.State.APPROVED
    )


def check_publish(revision, obj):
    if not is_publish(revision) or revision.language != SOURCE_LANGUAGE:
        raise ValidationError(
            _("A revision may only publish a page, and then change nothing else.")
        )
    check_publish_kind(revision.kind)


def mark_translation_reviewed(obj, revision, user):
    """Approval is the language's review: its records name the author and the reviewer."""
    records = TranslationRecord.objects.for_object(obj).filter(language=revision.language)
    fields = {name.removesuffix(f"_{revision.language}") for name in revision.values}
    records.filter(field__in=fields).update(translated_by=revision.author)
    records.exclude(translated_by=user).update(reviewed_at=timezone.now(), reviewed_by=user)
    forget_translation(obj, revision.language)


@transaction.atomic
def request_changes(revision, user, comment):
    check_state(revision, Revision.State.SUBMITTED)
    check_decider(revision, user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what needs to change: a comment is required."))
    revision.state = Revision.State.CHANGES_REQUESTED
    revision.comment = comment
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision.save()
    record_step(target(revision), user, f"Changes requested on {describe(revision)}")
    return revision


@transaction.atomic
def discard(revision, user):
    check_may(revision, user, "discard")
    check_state(revision, *OPEN_STATES)
    revision.state = Revision.State.DISCARDED
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision.save()
    obj = revision.content_object
    if obj is not None:
        record_step(obj, user, f"Discarded {describe(revision)}")
        delete_unused_files(obj, revision)
    return revision


def delete_unused_files(obj, revision):
    for name, value in revision.values.items():
        if name in related_lists(type(obj)):
            continue
        field = obj._meta.get_field(name)
        if isinstance(field, models.FileField) and value and value != stored(getattr(obj, name)):
            field.storage.delete(value)


def waiting_for(user):
    """Submitted revisions ``user`` may decide on, not their own."""
    if not (user.is_active and user.is_staff):
        return Revision.objects.none()
    may = models.Q(pk__in=[])
    languages = [code for code in language_codes() if code != SOURCE_LANGUAGE]
    reviewable = [code for code in languages if can_review(user, code)]
    if reviewable:
        may |= models.Q(language__in=reviewable)
    english = models.Q(language=SOURCE_LANGUAGE)
    if user.has_perm("revisions.approve_clinical"):
        may |= english & models.Q(kind=Revision.Kind.CLINICAL)
    changeable = [
        ContentType.objects.get_for_model(model)
        for model in REVIEWED_MODELS
        if user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]
    if changeable:
        may |= english & models.Q(kind=Revision.Kind.MINOR, content_type__in=changeable)
    return Revision.objects.filter(state=Revision.State.SUBMITTED).filter(may).exclude(author=user)
