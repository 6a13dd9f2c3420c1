from django.core.management.base import BaseCommand

from knowaml.translations.groups import sync_groups


class Command(BaseCommand):
    help = (
        "Create the Editors, Newsletter senders and Translators – <language> groups and "
        "give each exactly its permissions (safe to run again: it repairs what was changed)."
    )

    def handle(self, *args, **options):
        changes = sync_groups(exact=True)
        for group, change, permission in changes:
            line = f"{group}: {change} {permission}".rstrip()
            if change == "missing":
                self.stderr.write(self.style.WARNING(f"{line} (run migrate first?)"))
            else:
                self.stdout.write(line)
        if not changes:
            self.stdout.write("Every group already has exactly its permissions.")
