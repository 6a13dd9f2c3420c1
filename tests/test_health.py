import json

from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def test_health_answers_small_uncached_json_outside_the_language_prefixes(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["migrations_pending"] == 0
    assert body["oldest_waiting_task_seconds"] == 0 and body["tasks_in_doubt"] == 0
    assert "cache" in body
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_a_task_left_waiting_shows_its_age(client, db):
    DBTaskResult.objects.create(
        task_path="newsletter.tasks.purge_unconfirmed",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status=TaskResultStatus.READY,
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timezone.timedelta(minutes=10))
    body = json.loads(client.get("/health/").content)
    assert 590 < body["oldest_waiting_task_seconds"] < 700


class UnreachableDatabase:
    """A connection whose server has gone: it exists, but every query fails."""

    def cursor(self):
        raise OperationalError("server closed the connection unexpectedly")


def test_health_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    monkeypatch.setattr("knowaml.health.connection", UnreachableDatabase())
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"
