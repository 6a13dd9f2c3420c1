from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ...evaluation import TOP, evaluate, success_by_language


class Command(BaseCommand):
    help = (
        "Run the search evaluation set against this database's content (load the demo content "
        "first) and print success@3 per language, with the queries that missed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--target", type=float, default=0.9, help="Fail below this share in any language."
        )

    def handle(self, *args, target, **options):
        outcomes = evaluate()
        for outcome in outcomes:
            if not outcome.succeeded:
                self.stdout.write(
                    f"  miss [{outcome.language}] {outcome.query!r}: expected "
                    f"{' or '.join(outcome.expected)}, top {TOP}: {', '.join(outcome.found) or '—'}"
                )
        below = []
        self.stdout.write(f"success@{TOP} on {connection.vendor}:")
        for language, (found, total) in sorted(success_by_language(outcomes).items()):
            self.stdout.write(f"  {language}: {found}/{total} = {found / total:.0%}")
            if found / total < target:
                below.append(language)
        if below:
            raise CommandError(f"Below {target:.0%}: {', '.join(below)}")
