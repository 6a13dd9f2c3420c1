from django.contrib.auth import get_user_model
from django.utils import translation

from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from ..conftest import grant
from .conftest import log_in


def test_arabic_translator_edits_beside_the_english_right_to_left(
    context, page, live_server, client, translator_ar, relapse
):
    log_in(context, live_server, client, translator_ar)
    page.goto(f"/admin/education/article/{relapse.pk}/change/")
    english = page.locator("fieldset.side-by-side").first.locator(".readonly").first
    arabic = page.locator("#id_title_ar")
    assert english.inner_text().strip() == "Relapse"
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    source_box, target_box = english.bounding_box(), arabic.bounding_box()
    assert target_box["x"] > source_box["x"], "the translation sits beside the source"
    assert abs(target_box["y"] - source_box["y"]) < 60, "on the same row"
    assert page.locator("#id_title_en").count() == 0
    assert page.locator("#id_title_es").count() == 0
    arabic.fill("الانتكاس")
    page.fill("#id_slug_ar", "الانتكاس")
    page.fill("#id_summary_ar", "عودة المرض بعد الهدأة.")
    page.fill("#id_body_ar", "عاد المرض.\n\n## ابيضاض الدم المقاوم\n\nنص.")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    # The article is live: the Arabic waits in a revision the translator submits.
    relapse.refresh_from_db()
    assert not relapse.title_ar
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    revision = Revision.objects.get(language="ar", state="submitted")
    reviewer = grant(get_user_model().objects.create_user("ar-rev", is_staff=True), "review_ar")
    workflow.approve(revision, reviewer)
    relapse.refresh_from_db()
    assert relapse.title_ar == "الانتكاس"
    with translation.override("ar"):
        assert relapse.is_translated_into("ar")
