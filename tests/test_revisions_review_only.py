"""A reviewer who finds nothing to change records the review: the live page stays as it is,
and "Reviewed by" / "Last reviewed" are renewed as an approval renews them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from education.models import Article
from knowaml.translations.groups import CLINICAL_REVIEWERS_GROUP, sync_groups
from knowaml.translations.models import TranslationRecord

from .conftest import grant, html
from .test_revisions_workflow import EDITOR, staff


@pytest.fixture
def people(db):
    sync_groups()
    clinician = staff("clara", groups=[CLINICAL_REVIEWERS_GROUP])
    clinician.first_name, clinician.last_name = "Clara", "Okafor"
    clinician.save()
    return {"editor": staff("edith", *EDITOR, groups=["Editors"]), "clinician": clinician}


def record_url(obj, language="en"):
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:revisions_record_review", args=[content_type.pk, obj.pk, language])


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days)).isoformat()


def reasons(obj):
    history = type(obj).history.filter(id=obj.pk).exclude(history_change_reason=None)
    return list(history.values_list("history_change_reason", flat=True))


def test_a_clinician_records_a_review_without_changes_and_visitors_see_it(client, people, relapse):
    public = relapse.get_absolute_url()
    assert "Dr Sample Reviewer" in client.get(public).content.decode()  # cached now
    client.force_login(people["clinician"])
    change_url = reverse("admin:education_article_change", args=[relapse.pk])
    links = html(client.get(change_url)).select(".revision-record-review a")
    assert record_url(relapse) in [a["href"] for a in links], "offered on the page's form"
    form = html(client.get(record_url(relapse))).select_one("#content-main form")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    data = {"role": "Consultant haematologist", "next_review": in_days(365), "confirm": "on"}
    response = client.post(record_url(relapse), data)
    change_url = reverse("admin:education_article_change", args=[relapse.pk])
    assert response.status_code == 302 and response["Location"] == change_url

    relapse.refresh_from_db()
    assert relapse.last_reviewed == timezone.localdate()
    assert str(relapse.next_review) == in_days(365)
    assert relapse.body_en.startswith("Relapse means"), "the text is not touched"
    assert "Reviewed without changes (clinical, en)" in reasons(relapse)
    client.logout()
    box = html(client.get(public)).select_one(".review-box").get_text(" ", strip=True)
    assert "Clara Okafor" in box and "Consultant haematologist" in box
    assert date_format(timezone.localdate(), "DATE_FORMAT") in box


def test_an_editor_without_the_permission_gets_403_and_nothing_changes(client, people, relapse):
    before = Article.objects.filter(pk=relapse.pk).values().get()
    steps = relapse.history.count()
    client.force_login(people["editor"])
    change_form = client.get(reverse("admin:education_article_change", args=[relapse.pk]))
    assert change_form.status_code == 200 and not html(change_form).select(
        ".revision-record-review"
    )
    assert client.get(record_url(relapse)).status_code == 403
    data = {"role": "Editor", "next_review": in_days(365), "confirm": "on"}
    assert client.post(record_url(relapse), data).status_code == 403
    assert Article.objects.filter(pk=relapse.pk).values().get() == before
    assert relapse.history.count() == steps


def test_bad_input_is_a_form_error_and_nothing_is_saved(client, people, relapse):
    before = Article.objects.filter(pk=relapse.pk).values().get()
    client.force_login(people["clinician"])
    past = client.post(record_url(relapse), {"next_review": in_days(-1), "confirm": "on"})
    unconfirmed = client.post(record_url(relapse), {"next_review": in_days(90)})
    assert (past.status_code, unconfirmed.status_code) == (400, 400)
    assert "The next review must be after today." in html(past).select_one(".errorlist").get_text()
    assert "Confirm that the page needs no change." in unconfirmed.content.decode()
    relapse.status = Article.Status.DRAFT
    relapse.save()
    draft = client.post(record_url(relapse), {"next_review": in_days(90), "confirm": "on"})
    assert "Only a published page" in html(draft).select_one(".errornote").get_text()
    after = Article.objects.filter(pk=relapse.pk).values().get()
    assert {k: after[k] for k in ("last_reviewed", "reviewer_name", "next_review")} == {
        k: before[k] for k in ("last_reviewed", "reviewer_name", "next_review")
    }


def test_a_translation_reviewer_records_a_review_of_their_language_only(client, people, relapse):
    spanish = grant(staff("rosa"), "review_es")
    client.force_login(spanish)
    assert client.get(record_url(relapse, "en")).status_code == 403
    assert client.get(record_url(relapse, "fr")).status_code == 403
    assert client.post(record_url(relapse, "es"), {"confirm": "on"}).status_code == 302
    records = TranslationRecord.objects.for_object(relapse).filter(language="es")
    assert records and all(record.reviewed_by == spanish for record in records)
    assert "Reviewed without changes (translation, es)" in reasons(relapse)
    relapse.refresh_from_db()
    assert relapse.reviewer_name == "Dr Sample Reviewer", "the clinical record is English's"
