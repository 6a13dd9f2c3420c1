import io

from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from stories.models import Story

from .stories_fixtures import *  # noqa: F403  (fixtures)
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
