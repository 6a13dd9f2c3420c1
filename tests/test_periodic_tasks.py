import datetime

from django.core.management import call_command
from django.utils import timezone

from knowaml.scheduling.schedule import enqueue_due

from . import periodic_tasks

DAY = datetime.timedelta(days=1)


def test_periodic_task_runs_once_per_interval_starting_one_interval_after_first_seen(db, settings):
    settings.PERIODIC_TASKS = {"tests.periodic_tasks.note_a_run": DAY}
    periodic_tasks.RUNS.clear()
    start = timezone.now()
    assert enqueue_due(start) == []
    assert enqueue_due(start + DAY / 2) == []
    assert enqueue_due(start + DAY) == ["tests.periodic_tasks.note_a_run"]
    assert periodic_tasks.RUNS == ["ran"]
    assert enqueue_due(start + DAY * 1.5) == []
    assert enqueue_due(start + DAY * 2) == ["tests.periodic_tasks.note_a_run"]
    assert periodic_tasks.RUNS == ["ran", "ran"]


def test_the_real_schedule_purges_daily_and_digests_weekly(db, settings):
    from knowaml.scheduling.models import PeriodicRun

    call_command("run_periodic_tasks", "--once", verbosity=0)
    runs = dict(PeriodicRun.objects.values_list("task_path", "last_enqueued"))
    assert set(runs) == set(settings.PERIODIC_TASKS)
    later = timezone.now() + DAY + datetime.timedelta(minutes=1)
    assert set(enqueue_due(later)) == {
        "newsletter.tasks.purge_unconfirmed",
        "knowaml.accounts.tasks.forget_old_sign_ins",
    }
