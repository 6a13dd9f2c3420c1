import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from stories import images
from stories.models import Story

from .stories_fixtures import image_bytes, make_story, portrait_file, story_text


def read_image(name):
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    return data, Image.open(io.BytesIO(data))


def test_upload_strips_exif_including_gps_location(db):
    original = image_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    story = make_story(
        portrait=portrait_file("holiday.jpg", gps=True),
        portrait_alt_en="Sam on a beach",
        en=story_text("a-story"),
    )
    names = [story.portrait.name, *(r["name"] for r in story.renditions)]
    assert len(names) == 4
    for name in names:
        data, image = read_image(name)
        assert not image.getexif(), name
        assert b"Exif" not in data and b"Sample camera" not in data, name


def test_renditions_are_webp_and_never_larger_than_the_original(db):
    story = make_story(portrait=portrait_file(width=700, height=700), en=story_text("small"))
    assert [r["width"] for r in story.renditions] == [320, 640, 700]
    for rendition in story.renditions:
        _data, image = read_image(rendition["name"])
        assert image.format == "WEBP"
        assert image.size == (rendition["width"], rendition["height"])


def test_replacing_or_removing_a_portrait_removes_old_renditions(db):
    story = make_story(portrait=portrait_file(), en=story_text("a-story"))
    old = [r["name"] for r in story.renditions]
    story.portrait = portrait_file("new.jpg", colour=(10, 120, 90))
    story.save()
    assert all(not default_storage.exists(name) for name in old)
    assert all(default_storage.exists(r["name"]) for r in story.renditions)
    current = [r["name"] for r in story.renditions]
    story.portrait = None
    story.save()
    assert Story.objects.get().renditions == []
    assert all(not default_storage.exists(name) for name in current)


def test_saving_without_a_new_upload_keeps_renditions(db):
    story = make_story(portrait=portrait_file(), en=story_text("a-story"))
    renditions = story.renditions
    story.title_en = "A new title"
    story.save()
    assert Story.objects.get().renditions == renditions
    assert all(default_storage.exists(r["name"]) for r in renditions)


def test_deleting_a_story_deletes_its_pictures(db):
    story = make_story(portrait=portrait_file(), en=story_text("withdrawn"))
    names = [story.portrait.name, *(r["name"] for r in story.renditions)]
    assert all(default_storage.exists(name) for name in names)
    story.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_bulk_deleting_stories_deletes_their_pictures(db):
    story = make_story(portrait=portrait_file(), en=story_text("bulk"))
    names = [story.portrait.name, *(r["name"] for r in story.renditions)]
    Story.objects.all().delete()
    assert not any(default_storage.exists(name) for name in names)


def solid(width, height, image_format, mode="RGB", **options):
    output = io.BytesIO()
    Image.new(mode, (width, height)).save(output, image_format, **options)
    return ContentFile(output.getvalue(), name=f"upload.{image_format.lower()}")


def refusal(upload):
    with pytest.raises(ValidationError) as refused:
        images.validate_portrait(upload)
    return refused.value.code


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_at_most_24_megapixels_are_accepted():
    assert images.MAX_PIXELS == 24_000_000
    images.validate_portrait(solid(6000, 4000, "JPEG"))
    assert refusal(solid(4100, 6000, "PNG", mode="1")) == "too_many_pixels"
    assert refusal(solid(6000, 6000, "PNG", mode="1")) == "too_many_pixels"


def test_webp_gets_a_smaller_pixel_budget_because_decoding_it_costs_more_memory():
    images.validate_portrait(solid(3000, 2000, "WEBP"))
    assert refusal(solid(3000, 2400, "WEBP")) == "too_many_pixels"


def test_gif_is_refused_and_phone_jpegs_with_a_preview_picture_are_accepted():
    assert refusal(ContentFile(image_bytes(image_format="GIF"), name="a.gif")) == (
        "unsupported_format"
    )
    output = io.BytesIO()
    photo, preview = Image.new("RGB", (800, 600)), Image.new("RGB", (400, 300))
    photo.save(output, "MPO", save_all=True, append_images=[preview])
    mpo = ContentFile(output.getvalue(), name="phone.jpg")
    assert Image.open(mpo).format == "MPO"
    images.validate_portrait(mpo)


def test_a_large_photo_is_stored_at_most_1920_pixels_wide_with_every_rendition(db):
    upload = portrait_file(width=6000, height=4000)
    images.validate_portrait(upload)
    story = make_story(portrait=upload, portrait_alt_en="Sam", en=story_text("big"))
    _data, stored = read_image(story.portrait.name)
    assert stored.size == (1920, 1280)
    assert [r["width"] for r in story.renditions] == [320, 640, 960]


def test_the_cameras_rotation_is_applied_before_exif_is_removed(db):
    output = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was held upright: turn 90° clockwise
    Image.new("RGB", (800, 600), (200, 80, 40)).save(output, "JPEG", exif=exif)
    upload = ContentFile(output.getvalue(), name="upright.jpg")
    story = make_story(portrait=upload, portrait_alt_en="Sam", en=story_text("upright"))
    _data, stored = read_image(story.portrait.name)
    assert stored.size == (600, 800)
    assert not stored.getexif()
    assert story.renditions[-1]["width"] == 600
