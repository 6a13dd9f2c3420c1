import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError

from ...schedule import enqueue_due

logger = logging.getLogger("knowaml.tasks")


class Command(BaseCommand):
    help = (
        "Enqueue periodic tasks (settings.PERIODIC_TASKS) when due, for db_worker to run. "
        "Run exactly one of these; --once checks a single time (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        # Scheduled pages go live within a minute: a check every 20 s, the worker at once.
        parser.add_argument("--every", type=int, default=20, help="Seconds between checks.")

    def handle(self, *args, once, every, **options):
        while True:
            try:
                for path in enqueue_due():
                    self.stdout.write(f"Enqueued {path}")
            except (OperationalError, InterfaceError) as error:
                if once:
                    raise
                # A database restart must not stop the clock for good: try again next time.
                logger.warning("Database unavailable (%s); next check in %d s", error, every)
                connections.close_all()
            if once:
                return
            time.sleep(every)
            close_old_connections()
