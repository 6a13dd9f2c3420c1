import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from education.models import Article, Page, Section
from stories.models import Story

from .conftest import html


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        call_command("load_demo", verbosity=0)
        call_command("load_demo_stories", verbosity=0)


def arabic_pages():
    with translation.override("ar"):
        stories = Story.objects.published().order_by("-published")
        return {
            "home": reverse("education:home"),
            "section": Section.objects.first().get_absolute_url(),
            "article in English": Article.objects.get(slug_en="relapse").get_absolute_url(),
            "article": Article.objects.get(slug_en="what-is-aml").get_absolute_url(),
            "page": Page.objects.get(slug_en="about-us").get_absolute_url(),
            "stories": reverse("stories:list"),
            **{f"story {story.slug_en}": story.get_absolute_url() for story in stories},
            "glossary": reverse("glossary"),
            "search": reverse("search") + "?q=AML",
            "search in Arabic": reverse("search") + "?q=" + "الدم",
            "newsletter": reverse("newsletter:signup"),
        }


def test_english_on_arabic_pages_is_set_left_to_right(client, demo):
    seen_english = set()
    wrong = []
    for kind, url in arabic_pages().items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url)
        page = html(response)
        assert page.html["dir"] == "rtl"
        for element in page.body.select('[lang="en"]'):
            seen_english.add(kind)
            if element.get("dir") != "ltr" and element.name != "bdi":
                wrong.append((kind, str(element)[:100]))
    assert not wrong, "\n".join(map(str, wrong))
    assert {"home", "section", "article in English", "stories", "glossary", "search"} <= (
        seen_english
    ), "the demo shows English on these Arabic pages"


def test_arabic_notes_inside_english_blocks_are_set_right_to_left(client, demo):
    wrong = []
    for kind, url in arabic_pages().items():
        page = html(client.get(url))
        for element in page.body.select('[dir="ltr"] [lang="ar"]'):
            if element.get("dir") != "rtl":
                wrong.append((kind, str(element)[:100]))
    assert not wrong, "\n".join(map(str, wrong))
