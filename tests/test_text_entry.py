"""Text is stored one way whichever way it arrives: admin forms, PO files, the demo loader."""

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from education.models import Article, GlossaryTerm, Page, Section
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision
from knowaml.text import normalise_text
from knowaml.translations.registry import column, text_fields
from knowaml.translations.status import NEEDS_UPDATE, TRANSLATED, status_for
from stories.models import Story

from .conftest import html
from .test_translation_files import export, upload


def approve_all(user_model):
    """A second person approves every waiting revision (made by the admin account)."""
    second = user_model.objects.create_superuser("second", "second@example.org", "pw")
    for revision in Revision.objects.exclude(state="approved"):
        if revision.state != "submitted":
            workflow.submit(revision, revision.author)
        workflow.approve(revision, second)


def as_browser_sends(form):
    """The change form's fields as a browser posts them: textareas with CRLF line endings."""
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n").replace("\n", "\r\n")
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("One.\r\n\r\nTwo.", "One.\n\nTwo."),
        ("Trailing spaces.  \r\nNext\t\r\n", "Trailing spaces.\nNext"),
        ("\r\n\r\nLeading blank lines.", "Leading blank lines."),
        ("Old Mac\rline ends", "Old Mac\nline ends"),
        ("- list\n  - nested", "- list\n  - nested"),
        (None, None),
    ],
)
def test_normalised_text(value, stored):
    assert normalise_text(value) == stored


def test_first_english_edit_in_the_browser_flags_every_translation(
    admin_client, django_user_model, relapse
):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    data = as_browser_sends(html(admin_client.get(url)).select_one("#article_form"))
    assert "\r\n" in data["body_es"], "the Spanish body went back as the browser sends it"
    data["body_en"] += "\r\nA new sentence about relapse."
    response = admin_client.post(url, data)
    assert response.status_code == 302, html(response).select(".errorlist")
    approve_all(django_user_model)  # the live article changes once a second person approves
    relapse.refresh_from_db()
    assert "A new sentence about relapse." in relapse.body_en
    assert "\r" not in relapse.body_en and "\r" not in relapse.body_es
    for code in ("es", "fr"):
        assert status_for(relapse, code).state == NEEDS_UPDATE, code


def test_saving_untouched_translations_in_the_browser_changes_nothing(admin_client, relapse):
    url = reverse("admin:education_article_change", args=[relapse.pk])
    before = relapse.history.count()
    data = as_browser_sends(html(admin_client.get(url)).select_one("#article_form"))
    assert admin_client.post(url, data).status_code == 302
    assert status_for(relapse, "es").state == TRANSLATED
    # Nothing changed: no revision to review, and the live row is not even written.
    assert not Revision.objects.exists()
    assert relapse.history.count() == before


def test_imported_translation_is_stored_with_plain_line_ends(
    admin_client, django_user_model, relapse
):
    relapse.body_en = "Relapse means AML has come back.\n\nUpdated."
    relapse.save()
    po = export(admin_client, "es")
    for entry in po:
        if entry.msgctxt.startswith(f"education.article:{relapse.pk}:body:"):
            entry.msgstr = f"ES {entry.msgid}  \r\nsegunda línea \r\n"
    upload(admin_client, "es", po)
    assert Revision.objects.filter(language="es", state="submitted").exists()
    approve_all(django_user_model)  # the live article's translation waits for review
    relapse.refresh_from_db()
    assert relapse.body_es == (
        "ES Relapse means AML has come back.\nsegunda línea\n\nES Updated.\nsegunda línea"
    )
    assert isinstance(po, polib.POFile)


@pytest.mark.django_db
def test_demo_content_is_stored_normalised():
    call_command("load_demo", stdout=None)
    call_command("load_demo_stories", stdout=None)
    checked = 0
    for model in (Section, Article, Page, GlossaryTerm, Story):
        for obj in model.objects.all():
            for name in text_fields(model):
                for code in ("en", "es", "fr", "de", "ar"):
                    value = getattr(obj, column(name, code))
                    if isinstance(value, str):
                        assert "\r" not in value, (obj, name, code)
                        assert value == value.strip(), (obj, name, code)
                        assert not [ln for ln in value.split("\n") if ln != ln.rstrip()]
                    checked += bool(value)
    assert checked > 100
