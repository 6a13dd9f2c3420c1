"""``/health/`` for load balancers and monitoring: is the database there, what else is wrong.

Only the database decides the status (503 without it); the cache state, pending
migrations and the age of the oldest waiting task are reported so that a stopped Redis,
a forgotten ``migrate`` or a dead worker show up without taking the site out of rotation.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from .scheduling.leases import IN_DOUBT
from .startup import pending_migrations

MIGRATIONS_RECHECK_SECONDS = 30
_migrations = {"checked": 0.0, "pending": 0}


def cache_state():
    if hasattr(cache, "ping"):
        return cache.ping()
    return "ok (local to this process)"


def migrations_pending():
    if time.monotonic() - _migrations["checked"] > MIGRATIONS_RECHECK_SECONDS:
        _migrations["pending"] = len(pending_migrations())
        _migrations["checked"] = time.monotonic()
    return _migrations["pending"]


def task_state():
    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    return {
        "oldest_waiting_task_seconds": (
            round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0
        ),
        "tasks_in_doubt": DBTaskResult.objects.failed()
        .filter(exception_class_path=IN_DOUBT)
        .count(),
    }


@never_cache
def health(request):
    body = {"status": "ok", "database": "ok", "cache": cache_state()}
    try:
        # A pooled connection says nothing about the server: ask it something.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["migrations_pending"] = migrations_pending()
    except DatabaseError:
        body.update(status="unavailable", database="unavailable")
        return JsonResponse(body, status=503)
    try:
        body.update(task_state())
    except DatabaseError:  # the task table itself may be among the pending migrations
        body["tasks"] = "unknown"
    return JsonResponse(body)
