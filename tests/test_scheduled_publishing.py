"""Pages go live and come down at the times editors set; the clock and worker carry it out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri

from education.models import Article
from knowaml import publishing
from knowaml.scheduling.schedule import enqueue_due
from stories.models import Story

from .conftest import html, make_article, page_text
from .stories_fixtures import make_story, story_text
from .test_page_cache import WITH_PAGE_CACHE
from .test_revisions_publish import approve_publication

MINUTE = datetime.timedelta(minutes=1)
SECTION = "/en/understanding-aml/"


def url_in(language, obj):
    with translation.override(language):
        return obj.get_absolute_url()


@pytest.fixture
def scheduled(section):
    article = make_article(
        section,
        order=5,
        status=Article.Status.DRAFT,
        en=page_text("stem-cell-transplant", "Stem cell transplant"),
        es=page_text("trasplante", "Trasplante"),
    )
    article.go_live_at = timezone.now() + 10 * MINUTE
    article.save()
    approve_publication(article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT, "approved, it waits for its time"
    return article


def test_a_draft_goes_live_when_its_time_comes_and_not_before(client, scheduled):
    url = url_in("en", scheduled)
    assert client.get(url).status_code == 404
    assert not publishing.anything_due()
    assert publishing.carry_out() == {"published": 0, "taken_down": 0}
    assert client.get(url).status_code == 404

    later = timezone.now() + 11 * MINUTE
    assert publishing.anything_due(later)
    assert publishing.carry_out(later) == {"published": 1, "taken_down": 0}
    assert html(client.get(url)).h1.get_text() == "Stem cell transplant"
    latest = scheduled.history.first()
    assert latest.status == "published" and latest.history_change_reason == "Scheduled: published"


def test_the_clock_hands_due_schedules_to_the_worker(client, scheduled):
    scheduled.go_live_at = timezone.now() - MINUTE
    scheduled.save()
    # The test settings run tasks as soon as they are enqueued, as the worker would.
    assert "knowaml.publishing.carry_out_schedules" in enqueue_due()
    assert client.get(url_in("en", scheduled)).status_code == 200
    assert "knowaml.publishing.carry_out_schedules" not in enqueue_due()


def test_going_live_shows_on_cached_pages_at_once(client, site, scheduled):
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        assert "Stem cell transplant" not in client.get(SECTION).content.decode()
        client.get(SECTION)  # cached
        publishing.carry_out(timezone.now() + 11 * MINUTE)
        assert "Stem cell transplant" in client.get(SECTION).content.decode()


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_a_page_taken_down_answers_gone_with_a_way_on(client, relapse, language):
    url = url_in(language, relapse)
    relapse.take_down_at = timezone.now() - MINUTE
    relapse.save()
    assert publishing.carry_out() == {"published": 0, "taken_down": 1}
    response = client.get(url)
    assert response.status_code == 410
    page = html(response)
    assert page.html["lang"] == language
    assert page.h1.get_text() != "Relapse"
    way_on = page.select_one("main a[href]")
    assert iri_to_uri(way_on["href"]) == url_in(language, relapse.section)
    assert response["Cache-Control"].startswith("public")
    assert client.get("/sitemap.xml").content.count(b"/relapse/") == 0


def test_a_story_taken_down_points_to_the_other_stories(client, db):
    story = make_story(**story_text("rosa", "Rosa's story"))
    story.take_down_at = timezone.now() - MINUTE
    story.save()
    publishing.carry_out()
    response = client.get(url_in("en", story))
    assert response.status_code == 410
    assert html(response).select_one("main a[href]")["href"] == "/en/stories/"


def test_a_page_must_come_down_after_it_goes_live(scheduled):
    scheduled.take_down_at = scheduled.go_live_at - MINUTE
    with pytest.raises(ValidationError) as refused:
        scheduled.full_clean()
    assert "take_down_at" in refused.value.message_dict


def test_a_story_without_consent_never_goes_live_on_schedule(db):
    story = make_story(
        status=Story.Status.DRAFT, consent_on_file=None, **story_text("omar", "Omar's story")
    )
    story.go_live_at = timezone.now() + MINUTE
    with pytest.raises(ValidationError):
        story.full_clean()
    Story.objects.filter(pk=story.pk).update(go_live_at=story.go_live_at)
    approve_publication(story)
    assert publishing.carry_out(timezone.now() + 2 * MINUTE) == {"published": 0, "taken_down": 0}
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_the_admin_offers_the_schedule(admin_client, relapse):
    page = html(admin_client.get(f"/admin/education/article/{relapse.pk}/change/"))
    assert page.select_one("[name=go_live_at_0]") and page.select_one("[name=take_down_at_0]")


@pytest.mark.parametrize("days_past, told", [(10, False), (31, True)])
def test_an_article_long_past_its_review_date_says_it_is_being_reviewed(
    client, relapse, days_past, told
):
    relapse.next_review = timezone.localdate() - datetime.timedelta(days=days_past)
    relapse.save()
    page = html(client.get(url_in("en", relapse)))
    assert bool(page.select(".notice--review")) == told


def test_the_admin_index_shows_what_needs_attention_with_links(admin_client, site, scheduled):
    Article.objects.filter(pk=site["articles"][0].pk).update(
        next_review=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = html(admin_client.get("/admin/"))
    rows = {
        row.th.get_text(strip=True): (row.td.get_text(strip=True), row.a["href"])
        for row in page.select(".editor-dashboard tr")
    }
    count, link = rows["Articles overdue for clinical review"]
    assert count == "1"
    listed = html(admin_client.get(link)).select("#result_list tbody tr")
    assert len(listed) == 1
    count, link = rows["Articles scheduled to go live"]
    assert count == "1"
    listed = html(admin_client.get(link)).select("#result_list tbody tr")
    assert [row.th.get_text(strip=True) for row in listed] == ["Stem cell transplant"]
    assert rows["Stories scheduled to come down"][0] == "0"
