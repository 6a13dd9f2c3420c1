from django.urls import reverse
from django.utils import translation

from education.models import Article
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import html


def form_data(page):
    data = {}
    form = page.select_one("form[id$=_form]")
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            chosen = field.find("option", selected=True)
            data[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
        elif field.name == "textarea":
            data[field["name"]] = field.get_text().lstrip("\n")
        elif field.get("type") != "submit":
            data[field["name"]] = field.get("value", "")
    return data


def test_every_language_change_is_kept_with_who_and_when(admin_client, admin_user, relapse):
    # A draft is edited directly (a live article's edits wait in a revision).
    Article.objects.filter(pk=relapse.pk).update(status=Article.Status.DRAFT)
    url = reverse("admin:education_article_change", args=[relapse.pk])
    data = form_data(html(admin_client.get(url)))
    data["title_ar"] = "الانتكاس"
    data["title_es"] = "Recaída (nueva)"
    assert admin_client.post(url, data).status_code == 302
    latest = relapse.history.latest()
    assert latest.history_user == admin_user
    assert latest.title_ar == "الانتكاس" and latest.title_es == "Recaída (nueva)"
    assert relapse.history.earliest().title_es == "Recaída"
    history_page = html(
        admin_client.get(reverse("admin:education_article_history", args=[relapse.pk]))
    )
    assert admin_user.username in history_page.get_text()


def test_editor_reverts_an_earlier_version(admin_client, reviewer, relapse):
    with translation.override("es"):
        relapse.title_es = "Título equivocado"
        relapse.save()
    first = relapse.history.earliest()
    url = reverse("admin:education_article_simple_history", args=[relapse.pk, first.history_id])
    page = html(admin_client.get(url))
    response = admin_client.post(url, form_data(page))
    assert response.status_code == 302
    relapse.refresh_from_db()
    assert relapse.title_es == "Título equivocado", "the live article waits for review"
    revision = Revision.objects.get()
    assert revision.values == {"title_es": "Recaída"}
    workflow.submit(revision, revision.author)
    workflow.approve(revision, reviewer)
    relapse.refresh_from_db()
    assert relapse.title_es == "Recaída"
    assert relapse.history.latest().history_change_reason.startswith("Approved")


def test_every_translatable_model_versions_every_language_column():
    from knowaml.languages import language_codes
    from knowaml.translations.registry import translatable_fields, translatable_models

    models = translatable_models()
    assert {m._meta.model_name for m in models} >= {"article", "page", "section", "story", "issue"}
    for model in models:
        history = model.history.model
        columns = {field.name for field in history._meta.fields}
        for name in translatable_fields(model):
            for code in language_codes():
                assert f"{name}_{code}" in columns, (model, name, code)
