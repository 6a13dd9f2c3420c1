import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation

from education.models import Article
from stories.models import Story

from .conftest import html

ROOT = Path(__file__).resolve().parents[1]
DEMO_FILES = sorted([*ROOT.glob("education/demo/*.toml"), *ROOT.glob("stories/demo/*.toml")])


def video_addresses(data):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from video_addresses(value)
        elif key.startswith("video") and key != "video_title":
            yield value


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda path: path.name)
def test_no_demo_content_points_to_a_video_that_does_not_exist(path):
    data = tomllib.loads(path.read_text())
    assert [address for address in video_addresses(data) if address] == []


def test_demo_files_are_found():
    assert len(DEMO_FILES) > 10


def test_demo_articles_and_stories_render_without_a_video_section(client, db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_stories", verbosity=0)
    assert client.get("/ar/").status_code == 200
    for item in [*Article.objects.published(), *Story.objects.published()]:
        with translation.override("en"):
            response = client.get(item.get_absolute_url())
        assert response.status_code == 200, item
        page = html(response)
        assert page.h1.get_text() == item.title_en
        assert not page.select(".video, .video-placeholder, #transcript"), item


def test_the_video_include_shows_nothing_without_a_video():
    empty = {"video_url": "", "video_file": None, "title": "What is AML?"}
    assert render_to_string("includes/video.html", {"video": empty}).strip() == ""
