"""Story fixtures (a pytest plugin: see tests/conftest.py) and image helpers."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import ExifTags, Image

from stories.models import Story

from .conftest import translations


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files a test uploads (portraits, renditions, videos) go to a folder thrown away after it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def story_text(slug, title=None):
    title = title or slug.replace("-", " ").capitalize()
    return {
        "title": title,
        "slug": slug,
        "summary": f"Summary of {title}.",
        "body": f"How it began for {title}.\n\n## What helped\n\nTalking to the nurse.",
    }


def make_story(
    *,
    first_name="Sam",
    role=Story.Role.PATIENT,
    status=Story.Status.PUBLISHED,
    published=datetime.date(2026, 1, 1),
    consent_on_file=datetime.date(2025, 12, 1),
    **languages,
):
    extra = {key: languages.pop(key) for key in list(languages) if len(key) > 2}
    return Story.objects.create(
        first_name=first_name,
        role=role,
        status=status,
        published=published,
        consent_on_file=consent_on_file,
        **extra,
        **translations(**languages),
    )


def image_bytes(width=800, height=600, image_format="JPEG", gps=False, colour=(200, 80, 40)):
    image = Image.new("RGB", (width, height), colour)
    output = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Sample camera"
        exif[ExifTags.Base.Orientation] = 1
        location = exif.get_ifd(ExifTags.IFD.GPSInfo)
        location[ExifTags.GPS.GPSLatitudeRef] = "N"
        location[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
        location[ExifTags.GPS.GPSLongitudeRef] = "W"
        location[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
        image.save(output, image_format, exif=exif)
    else:
        image.save(output, image_format)
    return output.getvalue()


def portrait_file(name="portrait.jpg", **kwargs):
    return ContentFile(image_bytes(**kwargs), name=name)


@pytest.fixture
def rosa(db):
    """A caregiver's story in English, Spanish and French, with a portrait."""
    return make_story(
        first_name="Rosa",
        role=Story.Role.CAREGIVER,
        published=datetime.date(2026, 3, 1),
        portrait=portrait_file(width=1200, height=900),
        portrait_alt_en="Rosa smiling in her garden",
        en=story_text("caring-for-my-father", "Caring for my father"),
        es=story_text("cuidar-de-mi-padre", "Cuidar de mi padre"),
        fr=story_text("prendre-soin-de-mon-pere", "Prendre soin de mon père"),
    )


@pytest.fixture
def omar(db):
    """An older patient's story, in English only."""
    return make_story(
        first_name="Omar",
        role=Story.Role.PATIENT,
        published=datetime.date(2026, 2, 1),
        en=story_text("life-after-remission", "Life after remission"),
    )
