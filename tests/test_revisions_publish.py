"""Publishing a draft is a revision too: it goes live, now or at its time, only once approved."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from education.models import Article
from knowaml import publishing
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision
from knowaml.translations.groups import CLINICAL_REVIEWERS_GROUP, sync_groups

from .conftest import html, make_article, page_text
from .test_history import form_data
from .test_revisions_workflow import EDITOR, staff

MINUTE = datetime.timedelta(minutes=1)
User = get_user_model()


@pytest.fixture
def team(db):
    sync_groups()
    return {
        "editor": staff("edith", *EDITOR, "translations.edit_all_languages", groups=["Editors"]),
        "clinician": staff("clara", groups=[CLINICAL_REVIEWERS_GROUP]),
    }


@pytest.fixture
def draft(section):
    return make_article(section, status="draft", en=page_text("new-page", "New page"))


def public_url(article):
    with translation.override("en"):
        return article.get_absolute_url()


def change_url(obj):
    return reverse("admin:education_article_change", args=[obj.pk])


def action_url(revision, action):
    return reverse("admin:revisions_revision_action", args=[revision.pk, action])


def post_form(client, user, article, **changes):
    client.force_login(user)
    data = {**form_data(html(client.get(change_url(article)))), **changes}
    return client.post(change_url(article), data)


def test_publishing_a_draft_waits_for_a_second_persons_clinical_approval(client, team, draft):
    response = post_form(client, team["editor"], draft, status="published", title_en="Renamed")
    revision = Revision.objects.get()
    assert response["Location"] == reverse("admin:revisions_revision_change", args=[revision.pk])
    assert "someone else" in html(client.get(response["Location"])).get_text()
    assert revision.values == {"status": "published"} and revision.kind == "clinical"
    draft.refresh_from_db()
    assert draft.title_en == "Renamed" and draft.status == "draft"
    assert client.get(public_url(draft)).status_code == 404

    refused = client.post(action_url(revision, "submit"), {"kind": "minor"})
    assert refused.status_code == 400 and "clinical" in refused.content.decode()
    assert client.post(action_url(revision, "submit"), {"kind": "clinical"}).status_code == 302
    assert client.post(action_url(revision, "approve"), {"role": "x"}).status_code == 403
    assert client.get(public_url(draft)).status_code == 404

    client.force_login(team["clinician"])
    response = client.post(action_url(revision, "approve"), {"role": "Haematologist"})
    assert response.status_code == 302
    page = client.get(public_url(draft))
    assert page.status_code == 200 and html(page).h1.get_text() == "Renamed"
    draft.refresh_from_db()
    assert draft.last_reviewed == timezone.localdate() and draft.reviewer_name == "clara"


def test_a_superuser_cannot_publish_their_own_draft(admin_client, admin_user, draft):
    response = post_form(admin_client, admin_user, draft, status="published")
    assert response.status_code == 302
    revision = Revision.objects.get()
    workflow.submit(revision, admin_user)
    assert admin_client.post(action_url(revision, "approve"), {"role": ""}).status_code == 403
    assert admin_client.get(public_url(draft)).status_code == 404


def test_a_new_page_saved_as_published_is_a_draft_until_approved(admin_client, section):
    url = reverse("admin:education_article_add")
    data = form_data(html(admin_client.get(url)))
    data.update(section=section.pk, order=4, status="published", published="2026-01-01")
    data.update(updated="2026-01-01", title_en="Fresh", slug_en="fresh", summary_en="S.")
    data.update(body_en="B.")
    response = admin_client.post(url, data)
    assert response.status_code == 302, html(response).select(".errorlist")
    article = Article.objects.get(slug_en="fresh")
    assert article.status == "draft"
    assert Revision.objects.get().values == {"status": "published"}


def test_a_minor_publish_revision_is_refused(team, draft):
    with pytest.raises(workflow.ValidationError):
        workflow.propose(draft, {"status": "published"}, team["editor"], kind="minor")
    with pytest.raises(workflow.ValidationError):
        workflow.propose(draft, {"status": "taken-down"}, team["editor"])
    revision = workflow.propose(draft, {"status": "published"}, team["editor"])
    with pytest.raises(workflow.ValidationError):
        workflow.submit(revision, team["editor"], kind="minor")


def test_a_scheduled_draft_goes_live_at_its_time_only_once_approved(client, team, draft):
    go_live = timezone.now() + 10 * MINUTE
    Article.objects.filter(pk=draft.pk).update(go_live_at=go_live)
    later = go_live + MINUTE
    assert not publishing.anything_due(later), "not approved"
    revision = workflow.propose(draft, {"status": "published"}, team["editor"], submit=True)
    client.force_login(team["clinician"])
    response = client.post(action_url(revision, "approve"), {"role": ""}, follow=True)
    assert "scheduled time" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.last_reviewed == timezone.localdate()
    assert client.get(public_url(draft)).status_code == 404
    assert not publishing.anything_due() and publishing.carry_out()["published"] == 0

    assert publishing.anything_due(later)
    assert publishing.carry_out(later) == {"published": 1, "taken_down": 0}
    assert client.get(public_url(draft)).status_code == 200
    revision.refresh_from_db()
    assert revision.state == Revision.State.APPROVED


def test_editing_a_draft_after_its_publication_was_approved_needs_approval_again(
    client, team, draft
):
    Article.objects.filter(pk=draft.pk).update(go_live_at=timezone.now() + 10 * MINUTE)
    revision = workflow.propose(draft, {"status": "published"}, team["editor"], submit=True)
    workflow.approve(revision, team["clinician"])
    post_form(client, team["editor"], draft, body_en="Unreviewed text.")
    revision.refresh_from_db()
    assert revision.state == Revision.State.SUBMITTED
    assert not publishing.anything_due(timezone.now() + 11 * MINUTE)


def test_taking_a_live_page_down_is_immediate(client, team, relapse):
    url = public_url(relapse)
    response = post_form(client, team["editor"], relapse, status="taken-down")
    assert response.status_code == 302
    assert client.get(url).status_code == 410
    assert not Revision.objects.exists()


def approve_publication(obj):
    """What a second person's clinical approval does: for tests that publish through the admin."""
    revision = workflow.publish_revisions(obj).filter(state__in=workflow.OPEN_STATES).first()
    if revision is None:
        author = User.objects.get_or_create(username="publish-author", is_staff=True)[0]
        revision = workflow.propose(obj, {"status": "published"}, author)
    if revision.state != Revision.State.SUBMITTED:
        workflow.submit(revision, revision.author)
    reviewer = User.objects.filter(username="publish-reviewer").first()
    reviewer = reviewer or User.objects.create_superuser("publish-reviewer", "r@example.org", "pw")
    return workflow.approve(revision, reviewer)
