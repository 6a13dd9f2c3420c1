"""A task whose worker died is run again when harmless, reported as in doubt when not."""

import datetime

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from knowaml.scheduling.leases import IN_DOUBT, beat, reap_dead_tasks

LONG_AGO = datetime.timedelta(minutes=30)


@pytest.fixture
def running(db):
    def make(path, worker="worker-a", started=LONG_AGO):
        return DBTaskResult.objects.create(
            task_path=path,
            args_kwargs={"args": [1], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now(),
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - started,
            worker_ids=[worker],
        )

    return make


def test_an_email_task_of_a_dead_worker_is_marked_in_doubt_not_resent(running, client):
    task = running("newsletter.tasks.send_confirmation")
    assert reap_dead_tasks() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == IN_DOUBT
    assert "may have sent email" in task.traceback
    assert not DBTaskResult.objects.ready().exists()
    assert client.get("/health/").json()["tasks_in_doubt"] == 1


def test_a_harmless_task_of_a_dead_worker_is_queued_again(running):
    task = running("newsletter.tasks.purge_unconfirmed")
    assert reap_dead_tasks() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None


def test_a_long_task_of_a_living_worker_is_left_alone(running):
    task = running("newsletter.tasks.send_issue", worker="alive")
    beat("alive")
    assert reap_dead_tasks() == (0, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_left_alone_before_its_worker_first_beats(running):
    running("newsletter.tasks.send_issue", started=datetime.timedelta(seconds=1))
    assert reap_dead_tasks() == (0, 0)


def test_a_worker_that_lost_its_database_mid_task_gives_up_that_task(running):
    task = running("newsletter.tasks.send_issue", worker="me", started=datetime.timedelta(0))
    beat("me")
    assert reap_dead_tasks(own_worker_id="me") == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED


def test_worker_command_is_the_resilient_one():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "knowaml.scheduling"


def test_editors_see_tasks_in_doubt_on_the_admin_index(running, admin_client):
    running("newsletter.tasks.send_confirmation")
    assert "stopped when its worker died" not in admin_client.get("/admin/").content.decode()
    reap_dead_tasks()
    page = admin_client.get("/admin/").content.decode()
    assert "1 background task stopped when its worker died" in page
    assert "/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED" in page
