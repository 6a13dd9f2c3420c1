import datetime

from django.urls import reverse
from django.utils import translation

from knowaml.revisions.models import Revision
from knowaml.translations.models import TranslationRecord
from knowaml.translations.status import MISSING, NEEDS_UPDATE, TRANSLATED, status_for

from .conftest import html


def edit_english(article, **values):
    with translation.override("en"):
        for name, value in values.items():
            setattr(article, f"{name}_en", value)
        article.save()


def test_translation_made_from_current_english_is_up_to_date(relapse):
    assert status_for(relapse, "es").state == TRANSLATED
    assert status_for(relapse, "de").state == MISSING
    record = TranslationRecord.objects.get(object_id=relapse.pk, field="body", language="es")
    assert record.source_text == relapse.body_en


def test_changing_the_english_flags_translations_as_needing_update(relapse):
    edit_english(relapse, body="Relapse means AML has come back. New treatments exist.")
    status = status_for(relapse, "es")
    assert status.state == NEEDS_UPDATE
    assert status.stale_fields == ["body"]
    assert status_for(relapse, "fr").state == NEEDS_UPDATE


def test_updating_the_translation_clears_the_flag(relapse):
    edit_english(relapse, body="New English body.")
    with translation.override("es"):
        relapse.body_es = "Nuevo texto."
        relapse.save()
    assert status_for(relapse, "es").state == TRANSLATED
    assert status_for(relapse, "fr").state == NEEDS_UPDATE


def test_public_page_says_when_english_was_updated_after_the_translation(client, relapse):
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert not page.select(".notice")
    edit_english(relapse, summary="A different English summary.")
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    notice = page.select_one(".notice")
    assert notice is not None
    assert notice.find("a", hreflang="en")["href"] == "/en/understanding-aml/relapse/"


def test_admin_shows_needs_update_with_a_diff_and_filters_by_it(admin_client, relapse, what_is_aml):
    edit_english(relapse, body="Relapse means AML has returned.\n\n## Refractory AML\n\nMore.")
    page = html(admin_client.get(reverse("admin:education_article_change", args=[relapse.pk])))
    row = page.select_one(".translation-needs-update")
    assert row is not None
    assert page.select_one(".diff-del") and page.select_one(".diff-add")
    # Word by word: only the words that changed are marked.
    assert any("come back" in tag.get_text() for tag in page.select("del.diff-del"))
    assert any("returned" in tag.get_text() for tag in page.select("ins.diff-add"))
    listing = admin_client.get(
        reverse("admin:education_article_changelist"), {"translation": "needs-update:es"}
    )
    titles = [th.get_text() for th in html(listing).select("#result_list tbody th")]
    assert titles == ["Relapse"]


def test_translator_confirms_translation_still_matches(client, translator_es, relapse):
    edit_english(relapse, summary="Reworded summary, same meaning.")
    client.force_login(translator_es)
    url = reverse("admin:education_article_translation_action", args=[relapse.pk, "es", "confirm"])
    assert client.get(url).status_code == 403, "state changes only by POST"
    assert client.post(url).status_code == 302
    assert status_for(relapse, "es").state == TRANSLATED
    assert status_for(relapse, "fr").state == NEEDS_UPDATE
    other = reverse(
        "admin:education_article_translation_action", args=[relapse.pk, "fr", "confirm"]
    )
    assert client.post(other).status_code == 403


def spanish_revision(client, user, relapse, summary):
    """The Spanish summary of the live article changed by ``user`` and submitted."""
    client.force_login(user)
    change = reverse("admin:education_article_change", args=[relapse.pk])
    data = {
        "title_es": "Recaída",
        "slug_es": "recaida",
        "summary_es": summary,
        "body_es": relapse.body_es,
        "video_title_es": "",
        "transcript_es": "",
        "_save": "Save",
    }
    assert client.post(change, data).status_code == 302
    revision = Revision.objects.get(language="es", author=user)
    submit = reverse("admin:revisions_revision_action", args=[revision.pk, "submit"])
    assert client.post(submit, {"kind": "clinical"}).status_code == 302
    return reverse("admin:revisions_revision_action", args=[revision.pk, "approve"])


def test_second_person_marks_translation_reviewed_and_public_page_shows_it(
    client, reviewer, translator_es, relapse
):
    approve = spanish_revision(client, translator_es, relapse, "Resumen revisado.")
    assert client.post(approve).status_code == 403, "translating does not grant reviewing"
    client.force_login(reviewer)
    assert client.post(approve, {"role": ""}).status_code == 302
    client.logout()
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert "Resumen revisado." in page.get_text()
    reviewed = page.select_one(".translation-reviewed time")
    assert reviewed["datetime"] == datetime.date.today().isoformat()
    with translation.override("es"):
        relapse.refresh_from_db()
        relapse.body_es = "Texto cambiado después de la revisión."
        relapse.save()
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert not page.select(".translation-reviewed"), "an edit after review needs a new review"


def test_story_page_says_when_its_english_was_updated(client, db, settings, tmp_path):
    from stories.models import Story

    settings.MEDIA_ROOT = tmp_path
    story = Story.objects.create(
        status="published",
        first_name="Rosa",
        role="caregiver",
        consent_on_file="2026-01-01",
        published="2026-01-02",
        title_en="Caring for my father",
        slug_en="caring",
        summary_en="S.",
        body_en="B.",
        title_es="Cuidar de mi padre",
        slug_es="cuidar",
        summary_es="R.",
        body_es="T.",
    )
    with translation.override("es"):
        url = story.get_absolute_url()
    assert not html(client.get(url)).select(".notice")
    story.body_en = "A longer English story."
    story.save()
    assert html(client.get(url)).select_one(".notice a[hreflang=en]")


def test_nobody_reviews_their_own_translation(client, reviewer, relapse):
    from django.test import Client as BrowserLike

    editor = BrowserLike()
    approve = spanish_revision(editor, reviewer, relapse, "Resumen nuevo.")
    response = editor.post(approve, {"role": ""})
    assert response.status_code == 403
    assert Revision.objects.get().state == "submitted"
    page = html(client.get("/es/comprender-la-lma/recaida/"))
    assert not page.select(".translation-reviewed")
    assert "Resumen nuevo." not in page.get_text()


def test_section_page_says_when_its_english_was_updated(client, section):
    url = "/es/comprender-la-lma/"
    assert not html(client.get(url)).select(".notice")
    section.title_en = "All about AML"
    section.save()
    assert html(client.get(url)).select_one(".notice a[hreflang=en]")
