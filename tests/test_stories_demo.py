from urllib.parse import unquote

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from stories.models import Story

from .conftest import html


def test_demo_stories_load_once_and_never_overwrite_edits(client, db):
    call_command("load_demo_stories")
    stories = list(Story.objects.published())
    assert len(stories) >= 4
    assert {story.role for story in stories} == {"patient", "caregiver", "family"}
    for story in stories:
        assert "Sample story" in story.summary_en
        assert "sample story" in story.body_en
        assert {"en", "es", "fr"} <= set(story.translated_languages())
        assert story.portrait and len(story.renditions) == 3
        assert story.consent_on_file
    arabic = [story for story in stories if story.is_translated_into("ar")]
    assert len(arabic) == 1
    assert not arabic[0].slug_ar.isascii(), "an Arabic address in Arabic letters"

    edited = stories[1]
    edited.title_en = "Edited by an editor"
    edited.save()
    call_command("load_demo_stories")
    assert Story.objects.count() == len(stories)
    assert Story.objects.get(pk=edited.pk).title_en == "Edited by an editor"


def test_demo_arabic_story_is_served_right_to_left(client, db):
    call_command("load_demo_stories")
    [story] = [story for story in Story.objects.published() if story.is_translated_into("ar")]
    with translation.override("ar"):
        url = story.get_absolute_url()
        stories = reverse("stories:list")
    assert unquote(url) == f"{unquote(stories)}{story.slug_ar}/"
    page = html(client.get(url))
    assert page.html["dir"] == "rtl"
    assert page.h1.get_text() == story.title_ar
    assert page.select_one("img.story__portrait")["alt"] == story.portrait_alt_ar
