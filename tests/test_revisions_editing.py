"""What editors and reviewers met walking the review workflow in a browser."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from knowaml.content import Status
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import html, make_article, page_text
from .test_history import form_data
from .test_revisions_admin import review_url

User = get_user_model()


def test_answering_a_reviewers_comment_keeps_the_authors_earlier_change(
    admin_client, admin_user, clinician, relapse
):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    data = form_data(html(admin_client.get(url)))
    data["summary_en"] = "AML can come back soon after treatment."
    data["title_en"] = "Relapse of AML"
    admin_client.post(url, data)
    revision = workflow.open_revisions(relapse).get()
    workflow.submit(revision, admin_user)
    workflow.request_changes(revision, clinician, "Say 'within months', not 'soon'.")

    page = html(admin_client.get(url))
    assert page.select_one("#id_summary_en")["value"] == (
        "AML can come back soon after treatment."
    ), "the form shows the author's revision, not the live text"
    assert "your revision" in page.select_one(".revision-status").get_text()
    data = form_data(page)
    data["summary_en"] = data["summary_en"].replace("soon", "within months")
    admin_client.post(url, data)

    revision.refresh_from_db()
    assert revision.state == Revision.State.CHANGES_REQUESTED
    assert revision.values == {
        "summary_en": "AML can come back within months after treatment.",
        "title_en": "Relapse of AML",
    }, "the earlier change is kept"
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse", "still live as approved"


def test_review_of_a_publication_in_arabic_names_states_and_keeps_the_title_whole(
    client, admin_user, clinician, section
):
    draft = make_article(section, status="draft", en=page_text("what-now", "What now?"))
    revision = workflow.propose_publish(draft, admin_user, submit=True)
    client.force_login(clinician)
    with translation.override("ar"):
        page = html(client.get(review_url(revision), headers={"accept-language": "ar"}))
        draft_label, published_label = str(Status.DRAFT.label), str(Status.PUBLISHED.label)
    before, now = (side.get_text(" ", strip=True) for side in page.select(".word-diff-text"))
    assert draft_label in before and published_label in now, "labels, not stored values"
    assert "draft" not in before and "published" not in now
    assert page.select_one(".revision-facts bdi").get_text() == "What now?"
    heading = page.select_one("#content h1").get_text()
    assert "\u2068What now?\u2069" in heading, "the English title keeps its ? at its end"
