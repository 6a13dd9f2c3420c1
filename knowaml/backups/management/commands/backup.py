import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from ...archive import MEDIA_FILE, database_file, dump_database, pack_media


class Command(BaseCommand):
    help = "Copy the database and the uploaded media into a new dated folder inside DIRECTORY."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, directory, **options):
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%SZ")
        folder = directory / f"knowaml-{stamp}"
        # Written under another name, so a folder with the final name is always complete.
        partial = folder.with_name(f"{folder.name}.partial")
        directory.mkdir(parents=True, exist_ok=True)
        partial.mkdir(mode=0o700)  # subscribers' addresses are personal data
        dump_database(database_file(partial, connection), connection)
        pack_media(partial / MEDIA_FILE, Path(settings.MEDIA_ROOT))
        partial.rename(folder)
        self.stdout.write(str(folder))
