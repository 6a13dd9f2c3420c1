"""Checks a server process makes before it answers its first request.

A production server that cannot find its static files, or whose database is not there yet,
must say so once, clearly, rather than answer every visitor with a 500.
"""

import logging
import os
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import Error as DatabaseError

logger = logging.getLogger("knowaml.startup")

STYLESHEET = "css/site.css"


def check_static_files():
    """Refuse to serve pages whose stylesheet address cannot be computed."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not hasattr(staticfiles_storage, "stored_name"):
        return
    try:
        staticfiles_storage.stored_name(STYLESHEET)
    except ValueError:
        raise ImproperlyConfigured(
            f"Static files were not collected for this storage ({settings.STATIC_ROOT}): "
            "run `manage.py collectstatic --noinput` with the same environment, then start again."
        ) from None


def wait_for_database(timeout=None, alias=DEFAULT_DB_ALIAS):
    """Wait (with back-off) for the database, so a server started before it is not a crash loop."""
    timeout = float(os.environ.get("DATABASE_WAIT_SECONDS", 60) if timeout is None else timeout)
    deadline = time.monotonic() + timeout
    delay = 0.5
    while True:
        try:
            connections[alias].ensure_connection()
            return
        except DatabaseError as error:
            connections[alias].close_if_unusable_or_obsolete()
            if time.monotonic() + delay > deadline:
                raise
            logger.warning("Database not reachable yet (%s); retrying in %.0f s", error, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5)


def pending_migrations(alias=DEFAULT_DB_ALIAS):
    executor = MigrationExecutor(connections[alias])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def report_pending_migrations():
    pending = pending_migrations()
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        logger.error(
            "%d database migrations are not applied (%s%s): run `manage.py migrate`",
            len(pending),
            names,
            ", …" if len(pending) > 5 else "",
        )
    return len(pending)


def prepare_server():
    try:
        check_static_files()
    except ImproperlyConfigured as error:
        logger.critical("%s", error)
        raise
    wait_for_database()
    report_pending_migrations()
    connections.close_all()
