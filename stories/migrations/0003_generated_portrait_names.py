"""Portraits get generated names: the uploader's file name was often the person's full name.

Existing portraits and their resized copies are moved to ``<slug>-<random>.<ext>`` in the
default storage, and every story row and history row that names them is updated. Going back
is a no-op: the old names are exactly what this removes.
"""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import migrations, models
from django.utils.text import slugify

import stories.images

PORTRAIT_DIR = "stories/portraits"
RENDITION_DIR = "stories/renditions"


def _new_portrait_name(old, slug):
    slug = slugify(slug or "", allow_unicode=True)[:50] or "portrait"
    extension = PurePosixPath(old).suffix.lower()
    if extension not in (".jpg", ".jpeg", ".png", ".webp"):
        extension = ".jpg"
    return f"{PORTRAIT_DIR}/{slug}-{secrets.token_hex(4)}{extension}"


def rename_portraits(apps, schema_editor, storage=default_storage):
    Story = apps.get_model("stories", "Story")
    HistoricalStory = apps.get_model("stories", "HistoricalStory")
    rows = [
        *Story.objects.exclude(portrait="").order_by("pk"),
        *HistoricalStory.objects.exclude(portrait="").order_by("history_id"),
    ]
    moves = {}

    def move(old, new):
        if old not in moves:
            moves[old] = new
            if storage.exists(old):
                with storage.open(old, "rb") as source:
                    moves[old] = storage.save(new, source)
        return moves[old]

    for row in rows:
        portrait = move(str(row.portrait), _new_portrait_name(str(row.portrait), row.slug_en))
        stem = PurePosixPath(portrait).stem
        renditions = [
            {**r, "name": move(r["name"], f"{RENDITION_DIR}/{stem}-{r['width']}w.webp")}
            for r in row.renditions or []
        ]
        type(row).objects.filter(pk=row.pk).update(portrait=portrait, renditions=renditions)
    # Copies first, old files last: if anything above fails, the old names still work.
    for old, new in moves.items():
        if old != new:
            storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_historicalstory"),
    ]

    operations = [
        migrations.AlterField(
            model_name="story",
            name="portrait",
            field=models.ImageField(
                blank=True,
                help_text=(
                    "JPEG, PNG or WebP, at least 320 pixels wide and high, at most 5 MB. "
                    "Location and camera data are removed on upload."
                ),
                upload_to=stories.images.portrait_name,
                validators=[stories.images.validate_portrait],
                verbose_name="portrait",
            ),
        ),
        migrations.RunPython(rename_portraits, migrations.RunPython.noop),
    ]
