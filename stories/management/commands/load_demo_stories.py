import tomllib
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from knowaml.demo import find_existing, translated_values

from ...models import Story
from ...portraits import abstract_portrait

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SHARED_FIELDS = ("first_name", "role", "published", "consent_on_file", "portrait_is_decorative")


class Command(BaseCommand):
    help = (
        "Load the sample stories (fictional people, written for the demo) where they are "
        "missing. Running it again creates nothing twice and never changes edited stories."
    )

    def handle(self, *args, **options):
        created = skipped = 0
        with translation.override("en"), transaction.atomic():
            for path in sorted(DEMO_DIR.glob("*.toml")):
                data = tomllib.loads(path.read_text())
                if find_existing(Story, data["en"]["slug"]) is not None:
                    skipped += 1
                    continue
                self.create(data, path.stem)
                created += 1
        self.stdout.write(f"Demo stories: {created} created, {skipped} already present.")

    def create(self, data, name):
        values = {field: data[field] for field in SHARED_FIELDS if field in data}
        story = Story(status=Story.Status.PUBLISHED, **values, **translated_values(data))
        drawing = data["portrait"]
        png = abstract_portrait(
            drawing["initial"], drawing["background"], drawing["colours"], drawing["seed"]
        )
        story.portrait = ContentFile(png, name=f"{name}.png")
        story.full_clean()
        story.save()
        return story
