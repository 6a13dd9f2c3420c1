from django.core.management.base import BaseCommand

from ...review_digest import DUE_WITHIN_DAYS, editors, pages_due_for_review, send_review_digest


class Command(BaseCommand):
    help = (
        f"Email editors the pages whose next review has passed or falls within "
        f"{DUE_WITHIN_DAYS} days, overdue first, and the published pages that read harder "
        "than the plain-language target (PLAIN_LANGUAGE_MAX_READING_AGE). Sends nothing when "
        "no page is due or hard to read. Run it weekly, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the pages due for review and the recipients; send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = pages_due_for_review()
            for page in due:
                self.stdout.write(f"{page.next_review:%Y-%m-%d}  {page.title}  {page.admin_url}")
            recipients = ", ".join(user.email for user in editors()) or "nobody"
            self.stdout.write(f"{len(due)} page(s) due; would email: {recipients}")
            return
        due, sent = send_review_digest()
        if sent:
            detail = f"{due} page(s) due" if due else "no page due, only pages hard to read"
            self.stdout.write(
                self.style.SUCCESS(f"Review digest sent to {sent} editor(s): {detail}.")
            )
        elif not editors().exists():
            self.stdout.write(
                self.style.WARNING(
                    f"No editor has an email address: no email sent ({due} page(s) due)."
                )
            )
        elif due:
            self.stdout.write(self.style.WARNING(f"{due} page(s) due, but no email was sent."))
        else:
            self.stdout.write(
                f"No page is due for review within {DUE_WITHIN_DAYS} days and none is hard "
                "to read: no email sent."
            )
