"""Every public page of every app, in every language: one <h1>, the right lang and dir.

The demo content is loaded once for this file, inside a transaction rolled back at its end;
each test runs inside it (in a savepoint) and sees every demo section, article, page,
trust page, glossary word and story.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from education.models import Article, Page, Section
from stories.models import Story

from .conftest import LANGUAGES, html


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            with translation.override("en"):
                call_command("load_demo", verbosity=0)
                call_command("load_demo_stories", verbosity=0)
            yield media
            transaction.set_rollback(True)


@pytest.fixture
def media_root(demo, settings):
    """The demo's portraits, for every test of this file."""
    settings.MEDIA_ROOT = demo
    return demo


def urls(objects):
    return [obj.get_absolute_url() for obj in objects]


def sign_up(client, url, language):
    data = {
        "email": f"smoke-{language}@example.com",
        "language": language,
        "website": "",
        "page": url,
        "wording": "2026-01",
    }
    return client.post(url, data, HTTP_ORIGIN="http://testserver")


# What a visitor can reach without a token: (addresses, expected status, how to ask).
PAGES = {
    "home": lambda: ([reverse("education:home")], 200),
    "sections": lambda: (urls(Section.objects.all()), 200),
    "articles": lambda: (urls(Article.objects.published()), 200),
    "pages and trust pages": lambda: (urls(Page.objects.published()), 200),
    "glossary": lambda: ([reverse("glossary")], 200),
    "search": lambda: ([reverse("search")], 200),
    "search with a query": lambda: ([reverse("search") + "?q=AML"], 200),
    "search with no results": lambda: ([reverse("search") + "?q=zzzqqq"], 200),
    "stories": lambda: ([reverse("stories:list")], 200),
    "stories by role": lambda: ([reverse("stories:list") + "?role=caregiver"], 200),
    "story pages": lambda: (urls(Story.objects.published()), 200),
    "newsletter sign-up": lambda: ([reverse("newsletter:signup")], 200),
    "newsletter: check your inbox": lambda: ([reverse("newsletter:signup")], 200, sign_up),
    "newsletter: broken confirmation link": lambda: (
        [reverse("newsletter:confirm", args=["not-a-token"])],
        400,
    ),
    "not found": lambda: ([reverse("education:home") + "no-such-page/"], 404),
}


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_one_h1_and_the_visitors_language_and_direction(
    client, db, demo, media_root, language, kind
):
    with translation.override(language):
        addresses, status, *how = PAGES[kind]()
    assert addresses, kind
    for url in addresses:
        response = how[0](client, url, language) if how else client.get(url)
        assert response.status_code == status, url
        page = html(response)
        assert len(page.find_all("h1")) == 1, url
        assert page.html["lang"] == language, url
        assert page.html["dir"] == ("rtl" if language == "ar" else "ltr"), url
        assert not response.cookies, url
