"""Draft revisions of live content: what visitors see before and after a second person's review."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from education.models import Article
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision
from knowaml.translations.groups import CLINICAL_REVIEWERS_GROUP, sync_groups
from knowaml.translations.models import TranslationRecord

from .conftest import grant, html
from .test_history import form_data

User = get_user_model()


def staff(name, *permissions, groups=()):
    user = User.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    for label in permissions:
        app, codename = label.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app, codename=codename)
        )
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


EDITOR = ("education.view_article", "education.change_article")


@pytest.fixture
def people(db):
    sync_groups()
    return {
        "editor": staff("edith", *EDITOR, "translations.edit_all_languages", groups=["Editors"]),
        "second": staff("sam", *EDITOR, "translations.edit_all_languages", groups=["Editors"]),
        "clinician": staff("clara", groups=[CLINICAL_REVIEWERS_GROUP]),
    }


def change_url(obj):
    return reverse("admin:education_article_change", args=[obj.pk])


def action_url(revision, action):
    return reverse("admin:revisions_revision_action", args=[revision.pk, action])


def edit_live(client, user, article, **changes):
    client.force_login(user)
    data = form_data(html(client.get(change_url(article))))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, html(response).select(".errorlist")
    return response


def test_live_edit_waits_for_clinical_approval_then_shows(client, people, relapse):
    public = relapse.get_absolute_url()
    assert "Relapse means" in client.get(public).content.decode()  # cached now
    response = edit_live(client, people["editor"], relapse, body_en="Relapse is a new text.")
    revision = Revision.objects.get()
    assert response["Location"] == reverse("admin:revisions_revision_change", args=[revision.pk])
    assert revision.values == {"body_en": "Relapse is a new text."}
    relapse.refresh_from_db()
    assert relapse.body_en.startswith("Relapse means")
    client.logout()
    assert "Relapse is a new text." not in client.get(public).content.decode()

    client.force_login(people["editor"])
    assert client.post(action_url(revision, "submit"), {"kind": "clinical"}).status_code == 302
    client.force_login(people["clinician"])
    approved = client.post(action_url(revision, "approve"), {"role": "Consultant haematologist"})
    assert approved.status_code == 302
    client.logout()
    page = html(client.get(public))
    assert "Relapse is a new text." in page.get_text()
    box = page.select_one(".review-box").get_text(" ", strip=True)
    assert "clara" in box and "Consultant haematologist" in box
    revision.refresh_from_db()
    assert revision.state == "approved" and revision.decided_by == people["clinician"]


def test_nobody_approves_their_own_revision_not_even_a_superuser(client, admin_user, relapse):
    revision = workflow.propose(relapse, {"title_en": "Mine"}, admin_user, submit=True)
    client.force_login(admin_user)
    response = client.post(action_url(revision, "approve"), {"role": "x"})
    assert response.status_code == 403
    revision.refresh_from_db()
    assert revision.state == "submitted"
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse"


def test_an_editor_cannot_approve_a_clinical_change(client, people, relapse):
    revision = workflow.propose(relapse, {"title_en": "New"}, people["editor"], submit=True)
    client.force_login(people["second"])
    assert client.post(action_url(revision, "approve"), {}).status_code == 403
    page = html(client.get(reverse("admin:revisions_revision_change", args=[revision.pk])))
    assert not page.select(f"form[action='{action_url(revision, 'approve')}']")


def test_a_minor_change_is_approved_by_a_second_editor_and_keeps_last_reviewed(
    client, people, relapse
):
    before = relapse.last_reviewed
    revision = workflow.propose(
        relapse, {"title_en": "Relapse (typo fixed)"}, people["editor"], kind="minor", submit=True
    )
    client.force_login(people["second"])
    assert client.post(action_url(revision, "approve"), {"role": ""}).status_code == 302
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse (typo fixed)"
    assert relapse.last_reviewed == before


def test_translation_revision_needs_that_languages_reviewer_and_marks_it_reviewed(
    client, people, relapse, translator_es
):
    edit_live(client, translator_es, relapse, title_es="Recaída de la LMA")
    revision = Revision.objects.get()
    assert revision.language == "es"
    client.post(action_url(revision, "submit"), {"kind": "clinical"})
    french = grant(staff("fred"), "review_fr")
    client.force_login(french)
    assert client.post(action_url(revision, "approve"), {}).status_code == 403
    spanish = grant(staff("rosa"), "review_es")
    client.force_login(spanish)
    assert client.post(action_url(revision, "approve"), {}).status_code == 302
    relapse.refresh_from_db()
    assert relapse.title_es == "Recaída de la LMA"
    record = TranslationRecord.objects.for_object(relapse).get(language="es", field="title")
    assert record.reviewed_by == spanish and record.translated_by == translator_es


def test_request_changes_needs_a_comment_the_author_then_sees(client, people, relapse):
    revision = workflow.propose(relapse, {"body_en": "Shorter."}, people["editor"], submit=True)
    client.force_login(people["clinician"])
    empty = client.post(action_url(revision, "request-changes"), {"comment": " "})
    assert empty.status_code == 400
    assert "a comment is required" in html(empty).get_text()
    comment = "Say which blood counts; cite ELN 2022."
    client.post(action_url(revision, "request-changes"), {"comment": comment})
    client.force_login(people["editor"])
    assert comment in html(client.get(change_url(relapse))).select_one(".revision-status").text
    review = html(client.get(reverse("admin:revisions_revision_change", args=[revision.pk])))
    assert comment in review.get_text()
    assert review.select_one(f"a[href='{reverse('revisions:preview', args=[revision.pk])}']")


def test_submission_emails_the_right_reviewers_only(
    people, relapse, translator_es, django_capture_on_commit_callbacks
):
    staff("inactive-clinician", groups=[CLINICAL_REVIEWERS_GROUP]).__class__.objects.filter(
        username="inactive-clinician"
    ).update(is_active=False)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose(relapse, {"body_en": "A."}, people["editor"], submit=True)
    assert [m.to for m in mail.outbox] == [["clara@example.org"]]
    body = mail.outbox[0].body
    assert reverse("admin:revisions_revision_change", args=[Revision.objects.get().pk]) in body
    assert "edith@example.org" not in body

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose(relapse, {"title_en": "B"}, people["clinician"], kind="minor", submit=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["edith@example.org", "sam@example.org"]

    mail.outbox = []
    grant(staff("rosa"), "review_es")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.propose(relapse, {"title_es": "C"}, translator_es, submit=True)
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]


def test_every_step_is_in_the_history(client, people, relapse):
    revision = workflow.propose(relapse, {"body_en": "New."}, people["editor"])
    workflow.submit(revision, people["editor"])
    workflow.request_changes(revision, people["clinician"], "Cite it.")
    workflow.submit(revision, people["editor"])
    workflow.approve(revision, people["clinician"], role="Haematologist")
    reasons = list(
        Article.objects.get(pk=relapse.pk)
        .history.exclude(history_change_reason=None)
        .order_by("history_date")
        .values_list("history_change_reason", flat=True)
    )
    assert [r.split(" ")[0] for r in reasons] == [
        "Proposed",
        "Submitted",
        "Changes",
        "Submitted",
        "Approved",
    ]
    client.force_login(people["editor"])
    page = html(client.get(reverse("admin:education_article_history", args=[relapse.pk])))
    assert f"Approved revision #{revision.pk}" in page.get_text()


def test_reverting_a_live_article_from_history_becomes_a_revision(admin_client, relapse):
    old = relapse.history.earliest()
    relapse.title_en = "Relapse, renamed"
    relapse.save()
    url = reverse("admin:education_article_simple_history", args=[relapse.pk, old.history_id])
    data = form_data(html(admin_client.get(url)))
    assert admin_client.post(url, {**data, "_change_history": "1"}).status_code == 302
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse, renamed"
    assert Revision.objects.get().values["title_en"] == "Relapse"


def test_drafts_are_edited_directly(client, people, section):
    from .conftest import make_article, page_text

    draft = make_article(section, status="draft", en=page_text("draft-page"))
    edit_live(client, people["editor"], draft, title_en="Draft, edited")
    draft.refresh_from_db()
    assert draft.title_en == "Draft, edited" and not Revision.objects.exists()
