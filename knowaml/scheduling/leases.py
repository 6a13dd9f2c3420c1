"""Tasks whose worker died: run them again when harmless, report them when not.

A task worker writes a heartbeat while it lives. A task still RUNNING after its worker
has been silent for ``TASK_LEASE_SECONDS`` will never finish. Tasks in
``TASKS_SAFE_TO_RETRY`` (purges, link checks) are put back in the queue; any other task
may already have sent email, so it is marked failed with ``TaskInDoubt`` for an editor to
check, never sent a second time behind their back. Newsletter issues keep their own
per-subscriber record, so pressing *Send* again finishes them without duplicates.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger("knowaml.tasks")


class TaskInDoubt(Exception):
    """The worker running this task stopped; it may or may not have done its work."""


IN_DOUBT = f"{TaskInDoubt.__module__}.{TaskInDoubt.__qualname__}"


def lease():
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat(worker_id, now=None):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"last_seen": now or timezone.now()}
    )


def forget_worker(worker_id):
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def in_doubt_message(task_path):
    return (
        f"{IN_DOUBT}: the worker running {task_path} stopped (no sign of life for "
        f"{settings.TASK_LEASE_SECONDS} s). It may or may not have finished, and it may "
        "have sent email, so it was not run again. Check its effect and run it again by "
        "hand if needed.\n"
    )


def reap_dead_tasks(now=None, own_worker_id=None):
    """Handle RUNNING tasks whose worker is gone; return (retried, in_doubt) counts.

    ``own_worker_id`` names a worker that is alive but running nothing (it lost its
    database mid-task), so its RUNNING tasks are dead too.
    """
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=now - lease()).values_list(
            "worker_id", flat=True
        )
    )
    alive.discard(own_worker_id)
    retried = in_doubt = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for task in running:
            worker = task.worker_ids[-1] if task.worker_ids else None
            if worker in alive:
                continue
            if worker != own_worker_id and task.started_at and task.started_at > now - lease():
                continue
            if task.task_path in settings.TASKS_SAFE_TO_RETRY:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                retried += 1
                logger.warning(
                    "Task %s (%s) lost its worker; queued again", task.id, task.task_path
                )
            else:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = IN_DOUBT
                task.traceback = in_doubt_message(task.task_path)
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                in_doubt += 1
                logger.error(
                    "Task %s (%s) lost its worker; marked failed, in doubt",
                    task.id,
                    task.task_path,
                )
    WorkerHeartbeat.objects.filter(last_seen__lt=now - 10 * lease()).delete()
    return retried, in_doubt
