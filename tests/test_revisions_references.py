"""References of a live article change through review, like its text; drafts and link checks
write them directly."""

import datetime

from django.urls import reverse
from django.utils import timezone

from education import linkcheck
from education.models import LinkStatus, Reference
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from . import test_revisions_workflow as reviewing
from .conftest import html, make_article, page_text
from .test_history import form_data
from .test_revisions_workflow import action_url, change_url

people = reviewing.people

OLD = "Döhner H, et al. Diagnosis and management of AML in adults. Blood. 2022."
EDITED = "Döhner H, et al. Diagnosis and management of AML in adults: 2022 ELN recommendations."
ADDED = "Issa GC, et al. The menin inhibitor revumenib in KMT2A-rearranged leukaemia. Nature."


def post_references(client, article, *, edit=None, add=None, delete=False, status=302):
    """The change form as the browser sends it, with the references inline changed."""
    data = form_data(html(client.get(change_url(article))))
    if edit is not None:
        data["references-0-citation"] = edit
    if delete:
        data["references-0-DELETE"] = "on"
    if add is not None:
        data["references-TOTAL_FORMS"] = "2"
        data.update(
            {
                "references-1-order": "1",
                "references-1-citation": add[0],
                "references-1-url": add[1],
                "references-1-published": "2023",
                "references-1-accessed": "",
            }
        )
    response = client.post(change_url(article), data)
    assert response.status_code == status, html(response).select(".errorlist")
    return response


def citations(client, article):
    page = html(client.get(article.get_absolute_url()))
    return [item.get_text(" ", strip=True) for item in page.select(".references li")]


def approve(client, people, revision):
    client.force_login(people["editor"])
    assert client.post(action_url(revision, "submit"), {"kind": "clinical"}).status_code == 302
    client.force_login(people["clinician"])
    approved = client.post(action_url(revision, "approve"), {"role": "Haematologist"})
    assert approved.status_code == 302


def test_reference_changes_to_a_live_article_wait_for_approval(client, people, relapse):
    kept = Reference.objects.get()
    client.force_login(people["editor"])
    response = post_references(
        client, relapse, edit=EDITED, add=(ADDED, "https://doi.org/10.1038/s41586-023-05812-3")
    )
    revision = Revision.objects.get()
    assert response["Location"] == reverse("admin:revisions_revision_change", args=[revision.pk])
    assert [r["citation"] for r in revision.values["references"]] == [EDITED, ADDED]
    client.logout()
    assert [OLD in c for c in citations(client, relapse)] == [True]

    client.force_login(people["editor"])
    review = html(client.get(reverse("admin:revisions_revision_change", args=[revision.pk])))
    assert "References" in review.select_one(".source-diff summary").get_text()
    assert "ELN recommendations" in review.select_one(".source-diff").get_text()
    side = html(client.get(reverse("revisions:preview", args=[revision.pk])))
    assert "revumenib" in side.select_one("#field-references").find_parent("section").get_text()
    page = html(client.get(reverse("revisions:page_preview", args=[revision.pk])))
    assert "revumenib" in page.select_one(".references").get_text()

    approve(client, people, revision)
    client.logout()
    shown = citations(client, relapse)
    assert len(shown) == 2 and EDITED in shown[0] and ADDED in shown[1]
    assert Reference.objects.filter(pk=kept.pk, citation=EDITED).exists()


def test_bad_reference_input_is_a_form_error_and_deleting_waits_too(client, people, relapse):
    client.force_login(people["editor"])
    response = post_references(client, relapse, add=(ADDED, "not an address"), status=200)
    assert html(response).select(".errorlist")
    assert not Revision.objects.exists() and Reference.objects.count() == 1

    post_references(client, relapse, delete=True)
    client.logout()
    assert len(citations(client, relapse)) == 1
    approve(client, people, Revision.objects.get())
    client.logout()
    assert citations(client, relapse) == [] and not Reference.objects.exists()


def test_drafts_and_the_link_check_write_references_directly(
    client,
    people,
    section,
    relapse,
    monkeypatch,
):
    draft = make_article(section, order=3, status="draft", en=page_text("draft-page"))
    draft.go_live_at = timezone.now() + datetime.timedelta(days=2)
    draft.save()
    publish = workflow.propose_publish(draft, people["editor"], submit=True)
    workflow.approve(publish, people["clinician"])
    client.force_login(people["editor"])
    post_references(client, draft, edit=EDITED)
    assert draft.references.get().citation == EDITED
    publish.refresh_from_db()
    assert publish.state == "submitted", "what was approved to go live has changed"

    broken = linkcheck.LinkResult(LinkStatus.BROKEN, "HTTP 404")
    monkeypatch.setattr(linkcheck, "check_url", lambda url, timeout: broken)
    linkcheck.check_articles([relapse.pk])
    assert relapse.references.get().link_status == LinkStatus.BROKEN
    assert Revision.objects.get() == publish
