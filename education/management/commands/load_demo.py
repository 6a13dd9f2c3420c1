import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from knowaml.demo import find_existing, translated_values

from ...models import Article, GlossaryTerm, Page, Reference, Section

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
KINDS = {"article": Article, "page": Page}
SHARED_FIELDS = (
    "order",
    "published",
    "updated",
    "next_review",
    "video_url",
)


class Command(BaseCommand):
    help = (
        "Load the demo content (sample text, not clinically reviewed) where it is missing. "
        "Running it again creates nothing twice and never changes what editors have edited."
    )

    def handle(self, *args, **options):
        created = skipped = 0
        with translation.override("en"), transaction.atomic():
            sections = {}
            for data in tomllib.loads((DEMO_DIR / "sections.toml").read_text())["sections"]:
                section = find_existing(Section, data["en"]["slug"])
                if section is None:
                    section = Section.objects.create(order=data["order"], **translated_values(data))
                    created += 1
                else:
                    skipped += 1
                sections[data["key"]] = section
            for path in sorted(DEMO_DIR.glob("*.toml")):
                if path.name in ("sections.toml", "glossary.toml"):
                    continue
                data = tomllib.loads(path.read_text())
                if self.load_page(data, sections):
                    created += 1
                else:
                    skipped += 1
            for data in tomllib.loads((DEMO_DIR / "glossary.toml").read_text())["terms"]:
                if find_existing(GlossaryTerm, data["en"]["slug"]) is None:
                    GlossaryTerm.objects.create(**translated_values(data))
                    created += 1
                else:
                    skipped += 1
        self.stdout.write(f"Demo content: {created} created, {skipped} already present.")

    def load_page(self, data, sections):
        model = KINDS[data["kind"]]
        if find_existing(model, data["en"]["slug"]) is not None:
            return False
        values = {name: data[name] for name in SHARED_FIELDS if name in data}
        if model is Article:
            values["section"] = sections[data["section"]]
        else:
            values.pop("video_url", None)
        page = model.objects.create(
            status=model.Status.PUBLISHED, **values, **translated_values(data)
        )
        for order, reference in enumerate(data.get("references", []), start=1):
            Reference.objects.create(article=page, order=order, **reference)
        return True
