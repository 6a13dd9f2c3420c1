"""Hand periodic tasks (purge, digest, link check) to the task queue when they fall due.

django-tasks-db runs tasks but has no clock; one `manage.py run_periodic_tasks` process
is that clock. Tasks are named in settings.PERIODIC_TASKS, so nothing here imports an app.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun


def enqueue_due(now=None):
    """Enqueue every task whose interval has passed, and every task of TASKS_WHEN_DUE whose
    check says it has work; return the paths enqueued."""
    now = now or timezone.now()
    enqueued = []
    for path, interval in settings.PERIODIC_TASKS.items():
        with transaction.atomic():
            run = PeriodicRun.objects.select_for_update().filter(task_path=path).first()
            if run is None:
                # A new task's clock starts now: a first `make run` must not send a digest
                # or check every link while a newcomer waits for a confirmation email.
                PeriodicRun.objects.create(task_path=path, last_enqueued=now)
                continue
            if run.last_enqueued + interval > now:
                continue
            run.last_enqueued = now
            run.save(update_fields=["last_enqueued"])
        import_string(path).enqueue()
        enqueued.append(path)
    for path, is_due in settings.TASKS_WHEN_DUE.items():
        if import_string(is_due)(now):
            import_string(path).enqueue()
            enqueued.append(path)
    return enqueued
