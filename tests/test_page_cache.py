import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from knowaml import fragments

from .conftest import html

AFTER_STATIC = settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
WITH_PAGE_CACHE = [
    *settings.MIDDLEWARE[:AFTER_STATIC],
    *settings.PAGE_CACHE_MIDDLEWARE,
    *settings.MIDDLEWARE[AFTER_STATIC:],
]


@pytest.fixture
def cached_client(db):
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        yield Client()


def queries(client, url, **kwargs):
    """The response and its database queries: none when the page cache served it. (What
    the process kept of rendered pages is dropped first, so a render always shows.)"""
    fragments.local.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    return response, len(context.captured_queries)


def test_second_visit_is_served_from_the_cache_without_queries(cached_client, relapse):
    url = "/es/comprender-la-lma/recaida/"
    first, cold = queries(cached_client, url)
    second, warm = queries(cached_client, url)
    assert cold > 0 and warm == 0
    assert second.content == first.content
    assert not second.cookies and "Cookie" not in second.get("Vary", "")
    assert "public" in second["Cache-Control"]


def test_an_editors_save_shows_at_once(cached_client, relapse):
    url = "/en/understanding-aml/relapse/"
    cached_client.get(url)
    relapse.title_en = "Relapse of AML"
    relapse.save()
    assert html(cached_client.get(url)).h1.get_text() == "Relapse of AML"


def test_languages_never_mix(cached_client, relapse):
    english = html(cached_client.get("/en/understanding-aml/relapse/"))
    spanish = html(cached_client.get("/es/comprender-la-lma/recaida/"))
    assert (english.html["lang"], spanish.html["lang"]) == ("en", "es")
    root = cached_client.get("/", headers={"accept-language": "fr"})
    assert root["Location"] == "/fr/"
    root = cached_client.get("/", headers={"accept-language": "ar"})
    assert root["Location"] == "/ar/", "the root redirect is never cached"


def test_admin_and_previews_are_never_cached(cached_client, admin_user, relapse):
    cached_client.force_login(admin_user)
    url = f"/admin/education/article/{relapse.pk}/preview/"
    cached_client.get(url)
    _, second = queries(cached_client, url)
    assert second > 0
    anonymous = Client()
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        assert "/admin/login/" in anonymous.get(url)["Location"]


def test_a_logged_in_editor_gets_the_same_public_page(cached_client, admin_user, relapse):
    url = "/en/understanding-aml/relapse/"
    public = cached_client.get(url).content
    cached_client.force_login(admin_user)
    assert cached_client.get(url).content == public


def test_languages_alternate_without_missing_the_cache(cached_client, relapse):
    spanish, english = "/es/comprender-la-lma/recaida/", "/en/understanding-aml/relapse/"
    queries(cached_client, spanish)
    queries(cached_client, english)
    assert queries(cached_client, spanish)[1] == 0
    assert queries(cached_client, english)[1] == 0


def test_a_review_shows_on_the_cached_page_at_once(cached_client, reviewer, relapse):
    from django.urls import reverse

    url = "/es/comprender-la-lma/recaida/"
    assert not html(cached_client.get(url)).select(".translation-reviewed")
    # Reviewing a translation is approving its revision, written by someone else.
    from knowaml.revisions import workflow

    revision = workflow.propose(relapse, {"body_es": "Texto revisado."}, None, submit=True)
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    action = reverse("admin:revisions_revision_action", args=[revision.pk, "approve"])
    assert reviewer_client.post(action, {"role": ""}).status_code == 302
    assert html(cached_client.get(url)).select(".translation-reviewed")
