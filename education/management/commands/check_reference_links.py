from django.core.management.base import BaseCommand

from ...linkcheck import check_articles


class Command(BaseCommand):
    help = "Check every reference link; broken and moved ones are flagged in the admin."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request.")
        parser.add_argument("--article", type=int, action="append", help="Only this article id.")

    def handle(self, *args, timeout, article, **options):
        counts = check_articles(article, timeout=timeout)
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        self.stdout.write(f"Reference links checked: {summary or 'none to check'}.")
