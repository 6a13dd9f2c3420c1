"""A new article goes to the end of its section; "last updated" follows the English text."""

import datetime

from django.urls import reverse
from django.utils import timezone

from education.models import Article, Page, Section

from .conftest import html, make_article, page_text
from .test_admin import article_form
from .test_revisions_publish import approve_publication
from .test_text_entry import as_browser_sends

LONG_AGO = datetime.date(2026, 1, 1)


def test_an_article_added_without_an_order_goes_last_in_its_section(
    admin_client, section, what_is_aml, relapse
):
    data = article_form(section, order="", title_en="Living with AML", slug_en="living")
    assert admin_client.post(reverse("admin:education_article_add"), data).status_code == 302
    added = Article.objects.get(slug_en="living")
    assert added.order == max(what_is_aml.order, relapse.order) + 1
    approve_publication(added)
    section_page = admin_client.get("/en/understanding-aml/").content.decode()
    assert section_page.index('href="/en/understanding-aml/living/"') > section_page.index(
        'href="/en/understanding-aml/relapse/"'
    )


def test_order_counts_within_the_section_and_an_explicit_order_is_kept(section):
    other = Section.objects.create(title_en="Treatment", slug_en="treatment")
    assert other.order == section.order + 1
    first = make_article(other, order=None, en=page_text("chemo", "Chemotherapy"))
    assert first.order == 1, "the other section's articles do not count"
    kept = make_article(other, order=0, en=page_text("intro", "Introduction"))
    assert kept.order == 0


def test_a_new_page_goes_last_in_the_footer(about):
    page = Page.objects.create(
        status="published", **{f"{k}_en": v for k, v in page_text("privacy", "Privacy").items()}
    )
    assert page.order == about.order + 1


def edit(admin_client, article, **changes):
    url = reverse("admin:education_article_change", args=[article.pk])
    data = as_browser_sends(html(admin_client.get(url)).select_one("#article_form"))
    data.update(changes)
    assert admin_client.post(url, data).status_code == 302
    article.refresh_from_db()
    return article


def test_last_updated_moves_to_today_when_the_english_text_changes(admin_client, relapse):
    # A draft is edited directly (a live article's edits wait in a revision).
    Article.objects.filter(pk=relapse.pk).update(updated=LONG_AGO, status=Article.Status.DRAFT)
    edit(admin_client, relapse)
    assert relapse.updated == LONG_AGO, "saving without changes keeps the date"
    edit(admin_client, relapse, body_es="Texto nuevo.")
    assert relapse.updated == LONG_AGO, "a translation is not an English update"
    edit(admin_client, relapse, body_en=relapse.body_en + "\r\n\r\nA new paragraph.")
    assert relapse.updated == timezone.localdate()


def test_the_editor_may_still_set_last_updated_themselves(admin_client, relapse):
    Article.objects.filter(pk=relapse.pk).update(updated=LONG_AGO)
    edit(admin_client, relapse, summary_en="A typo fixed.", updated="2026-02-03")
    assert relapse.updated == datetime.date(2026, 2, 3)
