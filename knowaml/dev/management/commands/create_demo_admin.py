from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"
PASSWORD = "know-aml-demo"  # noqa: S105 - printed demo account; refused in production
# A reserved domain (RFC 2606): test newsletters have an address to go to, and no real one.
EMAIL = "editor@example.org"


def mail_folder():
    """Where development mail is kept, if the newsletter's mailer writes files."""
    mailer = settings.MAILERS.get(settings.NEWSLETTER_MAILER, {})
    if mailer.get("BACKEND", "").endswith("filebased.EmailBackend"):
        return mailer.get("OPTIONS", {}).get("file_path")
    return None


class Command(BaseCommand):
    help = "Create a demo administrator for local development (refused in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION or not settings.DEBUG:
            raise CommandError("The demo administrator exists only in development.")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": EMAIL}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        elif not user.email:
            user.email = EMAIL
            user.save(update_fields=["email"])
        note = "" if created else " (unless you have changed it)"
        self.stdout.write(
            f"Demo admin (development only): user '{USERNAME}', password '{PASSWORD}'{note}"
        )
        if folder := mail_folder():
            self.stdout.write(
                f"Emails (newsletter tests to {user.email} too) are saved as files in {folder}"
            )
        if settings.REQUIRE_TWO_FACTOR:
            self.stdout.write(
                "REQUIRE_TWO_FACTOR is on: the first sign-in sets up an authenticator app."
            )
