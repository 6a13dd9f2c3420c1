import time

from django.core.management.base import BaseCommand

from ...schedule import enqueue_due


class Command(BaseCommand):
    help = (
        "Enqueue periodic tasks (settings.PERIODIC_TASKS) when due, for db_worker to run. "
        "Run exactly one of these; --once checks a single time (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--every", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once, every, **options):
        while True:
            for path in enqueue_due():
                self.stdout.write(f"Enqueued {path}")
            if once:
                return
            time.sleep(every)
