from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from knowaml import fragments
from knowaml.pagecache import forget_all_pages

from ...archive import MEDIA_FILE, database_file, load_database, unpack_media


class Command(BaseCommand):
    help = "Restore a folder made by `manage.py backup` into an empty database, and its media."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that has tables: PostgreSQL drops and recreates "
            "what the backup holds; SQLite replaces the whole database.",
        )

    def handle(self, folder, force, **options):
        dump = database_file(folder, connection)
        if not dump.is_file() or not (folder / MEDIA_FILE).is_file():
            raise CommandError(
                f"{folder} is not a {connection.vendor} backup: it needs {dump.name} and "
                f"{MEDIA_FILE}."
            )
        tables = connection.introspection.table_names()
        if tables and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables). Restore into a new, empty database, or pass --force "
                "to overwrite this one."
            )
        load_database(dump, connection, replace=force)
        unpack_media(folder / MEDIA_FILE, Path(settings.MEDIA_ROOT))
        # The caches know nothing of the restored content.
        forget_all_pages()
        fragments.forget_everything()
        self.stdout.write(f"Restored {folder} into {connection.settings_dict['NAME']}.")
