"""Hostile portrait uploads get a form error, never a 500; stored names never reveal the uploader's.

Every upload goes through the real story admin form.
"""

import importlib
import io
import os
import re
import struct
import zlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stories.models import Story

from .conftest import html
from .stories_fixtures import image_bytes, make_story, portrait_file, story_text
from .test_revisions_publish import approve_publication

# Pillow warns when it opens the 36-megapixel PNG; refusing it is what these tests check.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

ADD_URL = "/admin/stories/story/add/"
GENERATED = re.compile(r"stories/portraits/caring-for-my-father-[0-9a-f]{8}\.jpg")


def story_form(portrait):
    return {
        "title_en": "Caring for my father",
        "slug_en": "caring-for-my-father",
        "summary_en": "A sample story.",
        "body_en": "It began with a cough.",
        "first_name": "Rosa",
        "role": "caregiver",
        "status": "published",
        "published": "2026-03-01",
        "consent_on_file": "2026-02-01",
        "portrait": portrait,
        "portrait_alt_en": "Rosa in her garden",
        "_save": "Save",
    }


def errors(response):
    return " ".join(e.get_text(" ") for e in html(response).select(".errorlist"))


def stored_files(media_root):
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def noisy(width=800, height=600, mode="RGB"):
    """A picture with detail, so that its compressed data is not trivially short."""
    noise = Image.effect_noise((width, height), 60)
    return Image.merge("RGB", (noise, noise.rotate(180), noise)).convert(mode)


def encoded(image, image_format, **options):
    output = io.BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def truncated_jpeg():
    data = encoded(noisy(), "JPEG")
    return data[: len(data) * 2 // 3]


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_short_image_data():
    """A PNG whose chunks are all well formed (so verify() passes) but whose compressed pixel
    data stops half way, as after an interrupted upload."""
    data = encoded(noisy(), "PNG")
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        body = data[position + 8 : position + 8 + length]
        chunks.append((data[position + 4 : position + 8], body))
        position += 12 + length
    pixels = b"".join(body for kind, body in chunks if kind == b"IDAT")
    header = b"".join(png_chunk(k, b) for k, b in chunks if k not in (b"IDAT", b"IEND"))
    short = png_chunk(b"IDAT", pixels[: len(pixels) // 2])
    return data[:8] + header + short + png_chunk(b"IEND", b"")


def png_of_36_megapixels():
    return encoded(Image.new("1", (6000, 6000)), "PNG")


def oversized_png():
    noise = Image.frombytes("RGB", (1400, 1300), os.urandom(1400 * 1300 * 3))
    return encoded(noise, "PNG", compress_level=0)


HOSTILE = [
    ("holiday.jpg", truncated_jpeg, "damaged or incomplete"),
    ("scan.png", png_with_short_image_data, "damaged or incomplete"),
    ("huge.png", png_of_36_megapixels, "at most 24 megapixels"),
    ("party.gif", lambda: image_bytes(image_format="GIF"), "JPEG, PNG or WebP"),
    ("notes.jpg", lambda: b"Dear doctor, this is not a picture at all.", "valid image"),
    ("big.png", oversized_png, "5.0\xa0MB or less"),
]


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_admin_add_form_refuses_a_hostile_image_and_saves_nothing(
    admin_client, media_root, name, make, message
):
    response = admin_client.post(ADD_URL, story_form(SimpleUploadedFile(name, make())))
    assert response.status_code == 200
    assert message in errors(response)
    assert not Story.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_admin_change_form_refuses_a_hostile_image_and_keeps_the_story(
    admin_client, media_root, name, make, message
):
    story = make_story(
        portrait=portrait_file(), portrait_alt_en="Sam", en=story_text("caring-for-my-father")
    )
    before = stored_files(media_root)
    response = admin_client.post(
        f"/admin/stories/story/{story.pk}/change/",
        story_form(SimpleUploadedFile(name, make())),
    )
    assert response.status_code == 200
    assert message in errors(response)
    unchanged = Story.objects.get()
    assert unchanged.portrait.name == story.portrait.name
    assert unchanged.renditions == story.renditions
    assert unchanged.summary_en == story.summary_en
    assert stored_files(media_root) == before


def test_the_pixel_limit_error_names_the_size_and_the_limit(admin_client):
    response = admin_client.post(
        ADD_URL, story_form(SimpleUploadedFile("huge.png", png_of_36_megapixels()))
    )
    assert "6000×6000 pixels, which is 36.0 megapixels" in errors(response)


def test_an_upload_is_stored_under_a_generated_name_never_the_uploaders(admin_client, media_root):
    upload = SimpleUploadedFile("Maria Garcia Lopez.jpg", image_bytes(width=1200, height=900))
    response = admin_client.post(ADD_URL, story_form(upload))
    assert response.status_code == 302, errors(response)
    story = Story.objects.get()
    assert GENERATED.fullmatch(story.portrait.name)
    stem = story.portrait.name.removeprefix("stories/portraits/").removesuffix(".jpg")
    assert [r["name"] for r in story.renditions] == [
        f"stories/renditions/{stem}-{width}w.webp" for width in (320, 640, 960)
    ]
    files = stored_files(media_root)
    assert len(files) == 4
    assert not any("maria" in name.lower() for name in files)
    approve_publication(story)
    page = admin_client.get(story.get_absolute_url()).content.decode()
    assert stem in page and "Maria" not in page


def test_two_uploads_for_one_story_get_different_names(db):
    first = make_story(portrait=portrait_file(), en=story_text("same-slug"))
    first.portrait = portrait_file("again.jpg")
    old_name = first.portrait.name
    first.save()
    assert first.portrait.name != old_name
    assert first.portrait.name.startswith("stories/portraits/same-slug-")


def migration():
    return importlib.import_module("stories.migrations.0003_generated_portrait_names")


def old_style_upload(name, content):
    """A file and row as they were stored before names were generated."""
    return default_storage.save(name, ContentFile(content))


def test_migration_renames_existing_portraits_renditions_and_history(db, media_root):
    story = make_story(en=story_text("caring-for-my-father"))
    portrait = old_style_upload("stories/portraits/Maria Garcia Lopez.jpg", b"portrait")
    renditions = [
        {
            "name": old_style_upload(f"stories/renditions/Maria Garcia Lopez-{w}w.webp", b"copy"),
            "width": w,
            "height": w,
        }
        for w in (320, 640)
    ]
    Story.objects.filter(pk=story.pk).update(portrait=portrait, renditions=renditions)
    story.history.update(portrait=portrait, renditions=renditions)

    migration().rename_portraits(apps, None)

    story.refresh_from_db()
    assert GENERATED.fullmatch(story.portrait.name)
    with default_storage.open(story.portrait.name) as moved:
        assert moved.read() == b"portrait"
    stem = story.portrait.name.removeprefix("stories/portraits/").removesuffix(".jpg")
    assert [r["name"] for r in story.renditions] == [
        f"stories/renditions/{stem}-320w.webp",
        f"stories/renditions/{stem}-640w.webp",
    ]
    assert all(default_storage.exists(r["name"]) for r in story.renditions)
    history = story.history.get()
    assert history.portrait == story.portrait.name
    assert history.renditions == story.renditions
    assert not any("Maria" in name for name in stored_files(media_root))


def test_migration_gives_a_missing_file_a_generated_name_too(db, media_root):
    story = make_story(en=story_text("lost"))
    Story.objects.filter(pk=story.pk).update(portrait="stories/portraits/Maria Garcia.png")
    migration().rename_portraits(apps, None)
    story.refresh_from_db()
    assert re.fullmatch(r"stories/portraits/lost-[0-9a-f]{8}\.png", story.portrait.name)
    assert stored_files(media_root) == []
