from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from education.models import Article
from knowaml.revisions import workflow
from knowaml.revisions.models import Revision

from .conftest import grant, html

User = get_user_model()


def change_url(article):
    return reverse("admin:education_article_change", args=[article.pk])


def test_translator_sees_english_source_beside_their_language_only(
    client,
    translator_es,
    relapse,
):
    client.force_login(translator_es)
    page = html(client.get(change_url(relapse)))
    inputs = {tag["name"] for tag in page.select("input[name], textarea[name], select[name]")}
    assert {"title_es", "slug_es", "summary_es", "body_es"} <= inputs
    assert not {"title_en", "title_fr", "body_ar", "status", "section", "order"} & inputs
    rows = page.select("fieldset.side-by-side")
    assert rows, "one side-by-side row per field"
    assert "Relapse" in rows[0].get_text(), "the English source is shown read-only"
    assert not page.select("a.deletelink")


def test_translator_saves_their_language(client, translator_es, relapse):
    client.force_login(translator_es)
    data = {
        "title_es": "Recaída de la LMA",
        "slug_es": "recaida",
        "summary_es": "Resumen.",
        "body_es": "Texto nuevo.",
        "_save": "Save",
    }
    for name in ("video_title", "transcript"):
        data[f"{name}_es"] = ""
    response = client.post(change_url(relapse), data)
    assert response.status_code == 302, html(response).select(".errorlist")
    relapse.refresh_from_db()
    assert relapse.title_es == "Recaída", "the live article waits for review"
    revision = Revision.objects.get(language="es", author=translator_es)
    workflow.submit(revision, translator_es)
    workflow.approve(revision, grant(User.objects.create_user("rev2", is_staff=True), "review_es"))
    relapse.refresh_from_db()
    assert relapse.title_es == "Recaída de la LMA"
    assert relapse.title_en == "Relapse"


def test_crafted_post_touching_another_language_is_refused_and_changes_nothing(
    client,
    translator_es,
    relapse,
):
    client.force_login(translator_es)
    for extra in ({"title_fr": "Piraté"}, {"status": "draft"}, {"title_en": "Hacked"}):
        data = {
            "title_es": "Cambiado",
            "slug_es": "recaida",
            "summary_es": "R.",
            "body_es": "T.",
            "_save": "Save",
            **extra,
        }
        response = client.post(change_url(relapse), data)
        assert response.status_code == 403
    relapse.refresh_from_db()
    assert (relapse.title_es, relapse.title_fr, relapse.status) == (
        "Recaída",
        "Rechute",
        "published",
    )
    assert relapse.title_en == "Relapse"


def test_translator_cannot_add_delete_or_bulk_edit(client, translator_es, relapse):
    client.force_login(translator_es)
    assert client.get(reverse("admin:education_article_add")).status_code == 403
    delete = reverse("admin:education_article_delete", args=[relapse.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:education_article_changelist"))
    assert changelist.status_code == 200
    assert not html(changelist).select("input[name$='-order']")
    assert Article.objects.filter(pk=relapse.pk).exists()


def test_granting_a_language_is_a_normal_permission(translator_ar):
    from knowaml.translations.roles import is_translator, languages_for

    assert is_translator(translator_ar)
    assert languages_for(translator_ar) == ["ar"]


def test_editor_keeps_full_access(admin_client, relapse):
    page = html(admin_client.get(change_url(relapse)))
    names = {tag["name"] for tag in page.select("input[name], textarea[name], select[name]")}
    assert {"title_en", "title_fr", "status", "section"} <= names
    with translation.override("en"):
        assert not page.select("fieldset.side-by-side")


def test_translator_cannot_revert_history(client, translator_es, relapse):
    with translation.override("en"):
        relapse.title_en = "Relapse (second version)"
        relapse.status = "draft"
        relapse.save()
    first = relapse.history.earliest()
    url = reverse("admin:education_article_simple_history", args=[relapse.pk, first.history_id])
    client.force_login(translator_es)
    page = client.get(url)
    assert page.status_code == 200
    assert not html(page).select("input[name=_save]"), "no Revert button"
    data = {"title_es": "Recaída", "slug_es": "recaida", "summary_es": "R.", "body_es": "T."}
    assert client.post(url, data).status_code == 403
    relapse.refresh_from_db()
    assert (relapse.title_en, relapse.status) == ("Relapse (second version)", "draft")
