"""The revision admin: review pages, bad requests, the dashboard, and what visitors are told."""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from education.models import Article, GlossaryTerm
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import html
from .test_history import form_data

User = get_user_model()


def review_url(revision):
    return reverse("admin:revisions_revision_change", args=[revision.pk])


def action_url(revision, action):
    return reverse("admin:revisions_revision_action", args=[revision.pk, action])


def test_bad_requests_get_a_clear_answer_never_a_server_error(
    client, admin_user, clinician, relapse
):
    revision = workflow.propose(relapse, {"title_en": "New"}, admin_user)
    client.force_login(clinician)
    assert client.get(action_url(revision, "approve")).status_code == 405
    assert client.post(action_url(revision, "submit"), {"kind": "clinical"}).status_code == 403
    assert client.post(action_url(revision, "discard")).status_code == 403, "not theirs"
    client.force_login(admin_user)
    assert client.post(action_url(revision, "discard")).status_code == 302
    client.force_login(clinician)
    again = client.post(action_url(revision, "approve"), {"role": "x"})
    assert again.status_code == 400
    assert "Discarded" in html(again).select_one(".errornote").get_text()
    assert client.post(action_url(revision, "submit"), {"kind": "nonsense"}).status_code == 403
    assert client.post(action_url(revision, "explode")).status_code in (403, 404)
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse"


def test_dashboard_counts_what_waits_for_me_and_my_returned_revisions(
    client, admin_user, clinician, relapse, what_is_aml
):
    workflow.propose(relapse, {"title_en": "A"}, admin_user, submit=True)
    returned = workflow.propose(what_is_aml, {"title_en": "B"}, admin_user, submit=True)
    workflow.request_changes(returned, clinician, "Too vague.")
    client.force_login(clinician)
    rows = {
        row.th.get_text(strip=True): (int(row.td.get_text()), row.a["href"])
        for row in html(client.get(reverse("admin:index"))).select(".editor-dashboard tr")
    }
    count, link = rows["Revisions waiting for my review"]
    assert count == 1
    listed = html(client.get(link)).select("#result_list tbody tr")
    assert len(listed) == 1 and "Relapse" in listed[0].get_text()
    client.force_login(admin_user)
    rows = {
        row.th.get_text(strip=True): int(row.td.get_text())
        for row in html(client.get(reverse("admin:index"))).select(".editor-dashboard tr")
    }
    assert rows["Revisions waiting for my review"] == 0, "never one's own"
    assert rows["My revisions with changes requested"] == 1


def test_article_without_an_approval_says_not_yet_clinically_reviewed(client, relapse):
    Article.objects.filter(pk=relapse.pk).update(last_reviewed=None, reviewer_name="")
    page = html(client.get(relapse.get_absolute_url()))
    assert "Not yet clinically reviewed" in page.select_one(".review-box").get_text()
    assert "Reviewed by" not in page.select_one(".review-box").get_text()
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_review_record_is_not_typed_in_the_admin(admin_client, relapse):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    page = html(admin_client.get(url))
    names = {tag["name"] for tag in page.select("[name]")}
    assert not {"last_reviewed", "reviewer_name", "reviewer_role_en"} & names
    data = form_data(page)
    data.update(reviewer_name="Dr Typed", last_reviewed="2030-01-01")
    Article.objects.filter(pk=relapse.pk).update(status="draft")
    assert admin_client.post(url, data).status_code == 302
    relapse.refresh_from_db()
    assert relapse.reviewer_name == "Dr Sample Reviewer"


def test_live_glossary_term_edit_is_a_revision(admin_client, db):
    term = GlossaryTerm.objects.create(term_en="Blast", slug_en="blast", definition_en="A cell.")
    url = reverse("admin:education_glossaryterm_change", args=[term.pk])
    data = form_data(html(admin_client.get(url)))
    data["definition_en"] = "A young blood cell."
    assert admin_client.post(url, data).status_code == 302
    term.refresh_from_db()
    assert term.definition_en == "A cell."
    assert Revision.objects.get().values == {"definition_en": "A young blood cell."}


def test_structural_fields_still_apply_at_once(admin_client, relapse):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    data = form_data(html(admin_client.get(url)))
    data.update(next_review="2031-01-01", title_en="Renamed")
    assert admin_client.post(url, data).status_code == 302
    relapse.refresh_from_db()
    assert str(relapse.next_review) == "2031-01-01" and relapse.title_en == "Relapse"


def test_new_portrait_of_a_live_story_waits_cleaned_then_goes_live(
    admin_client, django_user_model, rosa
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from .stories_fixtures import image_bytes

    before = rosa.portrait.name
    url = reverse("admin:stories_story_change", args=[rosa.pk])
    data = form_data(html(admin_client.get(url)))
    data["portrait"] = SimpleUploadedFile("rosa-garcia.jpg", image_bytes(gps=True), "image/jpeg")
    response = admin_client.post(url, data)
    assert response.status_code == 302, html(response).select(".errorlist")
    rosa.refresh_from_db()
    assert rosa.portrait.name == before
    revision = Revision.objects.get()
    waiting = revision.values["portrait"]
    assert "rosa-garcia" not in waiting
    with rosa.portrait.storage.open(waiting) as stored:
        assert not Image.open(stored).getexif(), "no location kept while it waits"
    second = django_user_model.objects.create_superuser("second", "s@example.org", "pw")
    workflow.submit(revision, revision.author, kind="minor")
    workflow.approve(revision, second)
    rosa.refresh_from_db()
    assert rosa.portrait.name != before and rosa.renditions
    assert not rosa.portrait.storage.exists(waiting), "the waiting copy is not left behind"
