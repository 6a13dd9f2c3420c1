"""django-tasks-db's worker, made to outlive database restarts and to notice dead workers.

The upstream worker exits on the first database error, so a PostgreSQL restart silently
stopped every email. This one waits for the database and carries on, and a heartbeat
thread lets any worker hand back (or report) the tasks of a worker that died.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connections
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

from ...leases import beat, forget_worker, reap_dead_tasks

logger = logging.getLogger("knowaml.tasks")

DATABASE_ERRORS = (OperationalError, InterfaceError)


class ResilientWorker(db_worker.Worker):
    def run(self):
        self.heartbeat = threading.Thread(target=self.keep_beating, daemon=True)
        self.heartbeat.start()
        delay = 1
        while self.running:
            try:
                super().run()
                return
            except DATABASE_ERRORS as error:
                logger.warning("Database unavailable (%s); retrying in %d s", error, delay)
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, 30)
                self.recover()
            else:
                delay = 1

    def recover(self):
        """Whatever this worker was running when the database went away will not finish."""
        try:
            reap_dead_tasks(own_worker_id=self.worker_id)
        except DatabaseError:
            connections.close_all()

    def keep_beating(self):
        every = max(settings.TASK_LEASE_SECONDS / 4, 1)
        while self.running:
            try:
                beat(self.worker_id)
                reap_dead_tasks()
            except DatabaseError as error:
                logger.warning("Heartbeat not recorded (%s)", error)
            finally:
                connections.close_all()
            time.sleep(every)
        try:
            forget_worker(self.worker_id)
        except DatabaseError:
            pass


class Command(db_worker.Command):
    help = db_worker.Command.help + " (reconnects after database restarts; reaps dead tasks)"

    def handle(self, *args, **options):
        db_worker.Worker = ResilientWorker
        super().handle(*args, **options)
