import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from education.models import Article
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import html


def export(client, language):
    response = client.get(reverse("translations:export", args=[language]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return polib.pofile(response.content.decode())


def upload(client, language, po, apply=True):
    url = reverse("translations:import", args=[language])
    file = SimpleUploadedFile("t.po", str(po).encode(), content_type="text/x-gettext-translation")
    dry = client.post(url, {"file": file})
    assert dry.status_code == 200
    report = dry.context["report"]
    if apply and report.changes:
        applied = client.post(url, {"upload": dry.context["upload"]}, follow=True)
        return report, applied.context["report"]
    return report, None


def approve_imported(language):
    """A second person approves the revisions an import made of published pages."""
    chief, _ = get_user_model().objects.get_or_create(
        username="chief", defaults={"is_staff": True, "is_superuser": True}
    )
    submitted = Revision.objects.filter(language=language, state=Revision.State.SUBMITTED)
    for revision in submitted:
        workflow.approve(revision, chief)
    return submitted


def make_draft(obj):
    obj.status = Article.Status.DRAFT
    obj.save()


def units(po, label):
    return [e for e in po if e.msgctxt.startswith(label)]


def fill(po, prefix, translate):
    for entry in po:
        if entry.msgctxt.startswith(prefix):
            slug = ":slug:" in entry.msgctxt
            entry.msgstr = f"{entry.msgid}-de" if slug else translate(entry.msgid)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")


def test_german_export_lists_missing_texts_with_bodies_split_into_paragraphs(admin_client, relapse):
    po = export(admin_client, "de")
    body = units(po, f"education.article:{relapse.pk}:body:")
    assert [e.msgid for e in body] == [
        "Relapse means AML has come back.",
        "## Why it happens",
        "Text.",
        "## Refractory AML",
        "More.",
    ]
    assert all(e.comment.startswith("source: ") for e in body)
    assert po.metadata["Language"] == "de"


def test_round_trip_in_two_languages(admin_client, relapse):
    relapse.body_en = "Relapse means AML has come back.\n\n## Refractory AML\n\nUpdated."
    relapse.save()
    spanish = export(admin_client, "es")
    assert units(spanish, f"education.article:{relapse.pk}:body:"), "out-of-date body exported"
    assert not units(spanish, f"education.article:{relapse.pk}:title:"), "up-to-date title not"
    fill(
        spanish,
        f"education.article:{relapse.pk}:body:",
        lambda s: s.replace("Updated", "Actualizado"),
    )
    dry, applied = upload(admin_client, "es", spanish)
    assert not dry.applied and applied.applied
    approve_imported("es")
    german = export(admin_client, "de")
    fill(
        german, f"education.article:{relapse.pk}:", lambda s: s if s.startswith("#") else f"DE {s}"
    )
    for entry in german:
        if entry.msgctxt == f"education.article:{relapse.pk}:slug:0":
            entry.msgstr = "rueckfall"
    dry, applied = upload(admin_client, "de", german)
    assert dry.changes and applied.applied and not applied.rejected
    approve_imported("de")
    relapse.refresh_from_db()
    assert relapse.body_es.endswith("Actualizado.")
    assert relapse.is_translated_into("de") and relapse.slug_de == "rueckfall"
    assert relapse.body_de.split("\n\n")[0] == "DE Relapse means AML has come back."
    assert admin_client.get("/de/understanding-aml/rueckfall/").status_code == 200


def test_dry_run_changes_nothing(admin_client, relapse):
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    report, _ = upload(admin_client, "de", german, apply=False)
    assert report.changes
    relapse.refresh_from_db()
    assert not relapse.title_de


def test_import_rejects_unknown_units_changed_english_and_broken_links(admin_client, relapse):
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    german.append(
        polib.POEntry(
            msgctxt="education.article:9999:body:0", msgid="x", msgstr="y", comment="source: 0"
        )
    )
    german.append(polib.POEntry(msgctxt="nonsense", msgid="x", msgstr="y"))
    for entry in german:
        if entry.msgctxt.endswith(":summary:0"):
            entry.msgstr = "Siehe [Quelle](javascript:alert(1))"
    relapse.title_en = "Relapse of AML"
    relapse.save()
    report, _ = upload(admin_client, "de", german, apply=False)
    reasons = {item["unit"]: item["reason"] for item in report.rejected}
    assert "Unknown unit" in reasons["education.article:9999:body"]
    assert "Unknown unit" in reasons["nonsense"]
    assert "English text changed" in reasons[f"education.article:{relapse.pk}:title"]
    assert "Broken Markdown link" in reasons[f"education.article:{relapse.pk}:summary"]


def test_import_never_overwrites_a_translation_edited_after_the_export(admin_client, relapse):
    relapse.body_en = "New English."
    relapse.save()
    spanish = export(admin_client, "es")
    with translation.override("es"):
        relapse.body_es = "Editado en el admin después de exportar."
        relapse.save()
    fill(spanish, "", lambda s: "Traducción de la agencia.")
    report, _ = upload(admin_client, "es", spanish)
    reasons = [item["reason"] for item in report.rejected]
    assert any("after the export" in r for r in reasons)
    relapse.refresh_from_db()
    assert relapse.body_es == "Editado en el admin después de exportar."


def test_a_file_for_another_language_is_rejected(admin_client, relapse):
    german = export(admin_client, "de")
    report, _ = upload(admin_client, "fr", german, apply=False)
    assert report.rejected and not report.changes
    page = html(admin_client.post(reverse("translations:import", args=["fr"]), {}))
    assert page.select(".errorlist"), "a missing file is a form error"
    assert Article.objects.get(pk=relapse.pk).title_fr == "Rechute"


def test_uploaded_text_is_never_read_as_a_server_path(admin_client, relapse):
    report, _ = upload(admin_client, "de", "/etc/passwd", apply=False)
    assert report.rejected == [{"unit": "—", "reason": "Not a readable PO file."}]


@pytest.mark.parametrize("stamp", ["2026-01-01T00:00:00", "2026-02-30T00:00:00", "", "soon"])
def test_odd_export_dates_are_handled_without_an_error(admin_client, relapse, stamp):
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    german.metadata["X-Know-AML-Exported"] = stamp
    report, _ = upload(admin_client, "de", german, apply=False)
    if stamp.startswith("2026-01-01"):
        assert report.changes, "a date without a timezone is read as UTC"
    else:
        assert report.rejected and not report.changes


def test_unicode_digits_in_unit_names_are_rejected(admin_client, relapse):
    german = export(admin_client, "de")
    german.append(
        polib.POEntry(
            msgctxt=f"education.article:{relapse.pk}:body:²",
            msgid="x",
            msgstr="y",
            comment="source: 0",
        )
    )
    report, _ = upload(admin_client, "de", german, apply=False)
    assert any("Unknown unit" in item["reason"] for item in report.rejected)


def test_apply_survives_a_cleared_cache_and_a_replayed_token_is_refused(admin_client, relapse):
    from django.core.cache import cache

    german = export(admin_client, "de")
    fill(german, f"education.article:{relapse.pk}:", lambda s: f"DE {s}")
    url = reverse("translations:import", args=["de"])
    file = SimpleUploadedFile("t.po", str(german).encode())
    token = admin_client.post(url, {"file": file}).context["upload"]
    cache.clear()  # another server process, or a restarted cache
    applied = admin_client.post(url, {"upload": token}, follow=True)
    assert applied.context["report"].applied
    approve_imported("de")
    relapse.refresh_from_db()
    assert relapse.title_de.startswith("DE ")
    again = admin_client.post(url, {"upload": token}, follow=True)
    assert "expired" in again.content.decode()


def slug_unit(po, obj):
    return next(e for e in po if e.msgctxt == f"education.article:{obj.pk}:slug:0")


def test_import_refuses_an_address_another_page_already_answers_to(
    admin_client, relapse, what_is_aml
):
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    slug_unit(german, relapse).msgstr = "what-is-aml"  # the other article's German address
    report, applied = upload(admin_client, "de", german)
    reasons = {item["unit"]: item["reason"] for item in report.rejected}
    assert "Another page already uses" in reasons[f"education.article:{relapse.pk}:slug"]
    assert "Another page already uses" in reasons[f"education.article:{relapse.pk}:title"]
    assert [r.object_id for r in approve_imported("de")] == [what_is_aml.pk]
    relapse.refresh_from_db()
    assert not relapse.title_de and not relapse.slug_de
    assert Article.objects.get(pk=what_is_aml.pk).title_de.startswith("DE ")


def test_a_file_giving_two_pages_one_address_is_refused_in_the_dry_run(
    admin_client, relapse, what_is_aml
):
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    slug_unit(german, relapse).msgstr = slug_unit(german, what_is_aml).msgstr = "gleich"
    dry, applied = upload(admin_client, "de", german)
    assert [r["reason"] for r in dry.rejected if "gleich" in r["reason"]], dry.rejected
    assert applied.rejected == dry.rejected
    approve_imported("de")
    assert Article.objects.filter(slug_de="gleich").count() == 1


def test_an_imported_slug_keeps_the_old_address_working(admin_client, relapse):
    with translation.override("de"):
        relapse.title_de, relapse.slug_de = "Rückfall", "rueckfall"
        relapse.summary_de, relapse.body_de = "Kurz.", "Text."
        relapse.save()
    relapse.slug_en = "relapse-of-aml"
    relapse.save()
    german = export(admin_client, "de")
    unit = slug_unit(german, relapse)
    assert unit.msgstr == "rueckfall" and "fuzzy" in unit.flags
    unit.msgstr, unit.flags = "rueckfall-der-aml", []
    upload(admin_client, "de", german)
    approve_imported("de")
    old = admin_client.get("/de/understanding-aml/rueckfall/")
    assert old.status_code == 301
    assert old["Location"] == "/de/understanding-aml/rueckfall-der-aml/"


def test_an_import_into_a_draft_is_in_the_history_and_asks_for_a_new_review(
    admin_client, admin_user, relapse
):
    from knowaml.translations.models import TranslationRecord

    make_draft(relapse)
    record = TranslationRecord.objects.for_object(relapse).get(field="title", language="es")
    record.reviewed_at, record.reviewed_by = record.translated_at, admin_user
    record.save()
    relapse.title_en = "Relapse of AML"
    relapse.save()
    spanish = export(admin_client, "es")
    fill(spanish, f"education.article:{relapse.pk}:title", lambda s: "Recaída de la LMA")
    upload(admin_client, "es", spanish)
    latest = relapse.history.first()
    assert latest.title_es == "Recaída de la LMA"
    assert latest.history_user == admin_user and latest.history_type == "~"
    record.refresh_from_db()
    assert record.reviewed_at is None and record.translated_by == admin_user
    assert not record.is_stale(relapse.title_en) and record.source_text == "Relapse of AML"


def test_the_menu_on_every_page_shows_imported_texts_at_once(admin_client, client, section):
    def menu():
        return html(client.get("/de/")).select_one(".main-nav").get_text()

    assert "Understanding AML" in menu()  # and now cached
    german = export(admin_client, "de")
    fill(german, f"education.section:{section.pk}:", lambda s: f"DE {s}")
    upload(admin_client, "de", german)
    assert "DE Understanding AML" in menu()


def test_an_import_that_fails_midway_saves_nothing(admin_client, relapse, monkeypatch):
    from django.db import IntegrityError

    from knowaml.translations.models import TranslationRecord

    def clash(*args, **kwargs):
        raise IntegrityError("another editor saved the same record")

    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    monkeypatch.setattr(TranslationRecord.objects, "bulk_create", clash)
    dry, applied = upload(admin_client, "de", german)
    assert dry.changes and not applied.applied and not applied.changes
    assert "nothing was saved" in applied.rejected[-1]["reason"]
    relapse.refresh_from_db()
    assert not relapse.title_de and not relapse.history.filter(title_de__isnull=False).exists()


def test_applying_an_import_redirects_to_what_was_applied_and_offers_nothing_more(
    admin_client, relapse
):
    make_draft(relapse)
    german = export(admin_client, "de")
    fill(german, f"education.article:{relapse.pk}:", lambda s: f"DE {s}")
    url = reverse("translations:import", args=["de"])
    file = SimpleUploadedFile("de.po", str(german).encode())
    dry = admin_client.post(url, {"file": file})
    count = len(dry.context["report"].changes)
    assert f"{count} fields will change" in dry.content.decode()
    applied = admin_client.post(url, {"upload": dry.context["upload"]})
    assert applied.status_code == 302 and applied["Location"] == url, "POST, redirect, GET"
    result = admin_client.get(url)
    text = " ".join(html(result).select_one("#content-main").get_text().split())
    assert f"{count} fields updated" in text
    assert "will change" not in text and "Dry run" not in text
    assert not html(result).select("input[name=upload]"), "nothing left to apply"
    assert "DE Relapse" in text
    again = " ".join(html(admin_client.get(url)).get_text().split())
    assert "fields updated" not in again and "will change" not in again, "shown once"


def test_an_import_into_published_pages_waits_for_review_while_drafts_take_it_at_once(
    admin_client, admin_user, client, relapse, what_is_aml, glossary
):
    make_draft(what_is_aml)
    relapse.reviewer_role_en = "Haematologist"  # the record of a review, not reviewed text
    relapse.save()
    german = export(admin_client, "de")
    fill(german, "", lambda s: f"DE {s}")
    url = reverse("translations:import", args=["de"])
    dry = admin_client.post(url, {"file": SimpleUploadedFile("de.po", str(german).encode())})
    review = {}
    for change in dry.context["report"].changes:
        review[change["object"]] = review.get(change["object"], False) or change["revision"]
    assert review[str(relapse)] and review["Blast"], "published page and glossary term"
    assert not review[str(what_is_aml)] and not review["Understanding AML"]
    direct = sum(not change["revision"] for change in dry.context["report"].changes)

    result = admin_client.post(url, {"upload": dry.context["upload"]}, follow=True)
    text = " ".join(html(result).get_text().split())
    assert f"{direct} fields updated" in text
    assert "5 changes to published pages or glossary terms are now revisions waiting" in text
    assert "Relapse" in text and "Blast" in text

    relapse.refresh_from_db()
    assert not relapse.title_de, "the published page is unchanged"
    assert relapse.reviewer_role_de == "DE Haematologist"
    assert not relapse.history.filter(title_de="DE Relapse").exists()
    revision = Revision.objects.for_object(relapse).get()
    assert revision.state == Revision.State.SUBMITTED and revision.language == "de"
    assert revision.author == admin_user and revision.values["title_de"] == "DE Relapse"
    assert set(revision.values) == {f"{name}_de" for name in ("title", "slug", "summary", "body")}
    assert Article.objects.get(pk=what_is_aml.pk).title_de == "DE What is AML?", "draft"
    assert not type(glossary["blast"]).objects.get(pk=glossary["blast"].pk).definition_de
    with translation.override("de"):
        address = relapse.get_absolute_url()
    assert "DE Relapse" not in client.get(address, follow=True).content.decode()

    assert len(approve_imported("de")) == 5
    assert not Revision.objects.filter(state=Revision.State.SUBMITTED).exists()
    with translation.override("de"):
        relapse.refresh_from_db()
        address = relapse.get_absolute_url()
    assert relapse.title_de == "DE Relapse"
    assert "DE Relapse" in client.get(address).content.decode()
