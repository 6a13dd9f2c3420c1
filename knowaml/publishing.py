"""Scheduled publishing: pages go live and come down at the times editors set.

The clock (``run_periodic_tasks``) asks ``anything_due()`` on every check, a cheap query,
and hands ``carry_out_schedules`` to the worker when something is due. Each change is an
ordinary save, so the object's history records it and exactly the pages that show it are
forgotten by the caches. A draft goes live only once a reviewer has approved its publication
(``revisions.workflow``); taking a page down never waits.
"""

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .content import Status
from .revisions import workflow
from .revisions.models import Revision

logger = logging.getLogger("knowaml.tasks")

SCHEDULED_MODELS = ("education.Article", "education.Page", "stories.Story")


def _models():
    return [apps.get_model(label) for label in SCHEDULED_MODELS]


def _going_live(model, now):
    """Due drafts whose publication a reviewer has approved; others wait for approval."""
    approved = Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        state=Revision.State.SCHEDULED,
    ).values("object_id")
    return model._base_manager.filter(status=Status.DRAFT, go_live_at__lte=now, pk__in=approved)


def _coming_down(model, now):
    return model._base_manager.filter(status=Status.PUBLISHED, take_down_at__lte=now)


def _may_go_live(obj):
    """The rules an editor's form applies (a story needs consent on file) hold at go-live too."""
    if obj.status != Status.PUBLISHED:
        return True
    try:
        obj.clean()
    except ValidationError as error:
        logger.warning("Not published as scheduled: %s %s: %s", obj._meta.label, obj.pk, error)
        return False
    return True


def anything_due(now=None):
    now = now or timezone.now()
    return any(
        _going_live(model, now).exists() or _coming_down(model, now).exists() for model in _models()
    )


def carry_out(now=None):
    """Publish and take down what is due; return how many of each."""
    now = now or timezone.now()
    done = {"published": 0, "taken_down": 0}
    for model in _models():
        for queryset, status, counter in (
            (_going_live(model, now), Status.PUBLISHED, "published"),
            (_coming_down(model, now), Status.TAKEN_DOWN, "taken_down"),
        ):
            for pk in queryset.values_list("pk", flat=True):
                with transaction.atomic():
                    obj = queryset.select_for_update().filter(pk=pk).first()
                    if obj is None:  # changed by an editor meanwhile
                        continue
                    obj.status = status
                    if not _may_go_live(obj):
                        continue
                    obj._change_reason = f"Scheduled: {status}"
                    obj.save()
                    if status == Status.PUBLISHED:
                        workflow.published_on_schedule(obj)
                done[counter] += 1
    return done


@task
def carry_out_schedules():
    return carry_out()
