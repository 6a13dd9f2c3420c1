from django.core.management.base import BaseCommand

from newsletter.tasks import purge_unconfirmed, purge_unconfirmed_now


class Command(BaseCommand):
    help = (
        "Delete newsletter sign-ups never confirmed within NEWSLETTER_PURGE_UNCONFIRMED_DAYS. "
        "Run it daily (cron), or pass --enqueue to hand it to the db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run it in the worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = purge_unconfirmed.enqueue()
            self.stdout.write(f"Queued purge as task {result.id}.")
            return
        deleted = purge_unconfirmed_now()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} unconfirmed sign-up(s).")
