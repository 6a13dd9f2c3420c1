from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from knowaml.revisions import workflow

from .conftest import grant, html, make_article, page_text


def counts(page, language, kind="articles"):
    section = page.find(id=f"lang-{language}").find_parent("section")
    row = section.find("tr", attrs={"data-kind": kind})
    return {
        state: int(row.select_one(f".count-{state}").get_text())
        for state in ("translated", "missing", "needs-update")
    }


def test_dashboard_counts_each_language_and_kind(admin_client, site):
    relapse = site["articles"][1]
    relapse.body_en = "Changed English."
    relapse.save()
    make_article(site["section"], order=9, en=page_text("only-english"))
    page = html(admin_client.get(reverse("translations:dashboard")))
    assert counts(page, "es") == {"translated": 1, "missing": 1, "needs-update": 1}
    assert counts(page, "de") == {"translated": 0, "missing": 3, "needs-update": 0}
    assert counts(page, "ar") == {"translated": 1, "missing": 2, "needs-update": 0}
    assert "Spanish" in page.find(id="lang-es").get_text()
    assert page.find("a", href=reverse("translations:export", args=["es"]))


def test_admin_index_links_to_the_dashboard(admin_client):
    page = html(admin_client.get(reverse("admin:index")))
    assert page.find("a", href=reverse("translations:dashboard"))


def test_translator_lands_on_their_own_languages(client, translator_es, site):
    client.force_login(translator_es)
    response = client.get("/admin/")
    assert response["Location"] == reverse("translations:dashboard")
    page = html(client.get(response["Location"]))
    assert page.find(id="lang-es") and not page.find(id="lang-fr")
    assert client.get(reverse("translations:export", args=["fr"])).status_code == 403


def test_dashboard_and_landing_need_a_login(db):
    visitor = Client()
    assert "/admin/login/" in visitor.get("/admin/")["Location"]
    assert "/admin/login/" in visitor.get(reverse("translations:dashboard"))["Location"]


def listed(admin_client, url, state):
    response = admin_client.get(url, {"translation": state})
    assert response.status_code == 200, url
    return response, html(response).select("#result_list tbody tr")


def test_every_translatable_admin_filters_by_translation_status(admin_client, site):
    from knowaml.translations.registry import translatable_models

    for model in translatable_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response, rows = listed(admin_client, url, "missing:de")
        assert "translation=needs-update%3Aes" in response.content.decode(), url
        assert len(rows) == model.objects.count(), "nothing in the sample is in German"
        assert listed(admin_client, url, "translated:de")[1] == [], url
    url = reverse("admin:education_article_changelist")
    titles = {
        state: [row.th.get_text() for row in listed(admin_client, url, state)[1]]
        for state in ("translated:ar", "missing:ar")
    }
    assert titles == {"translated:ar": ["What is AML?"], "missing:ar": ["Relapse"]}


def test_arabic_reviewer_sees_revisions_waiting_on_their_landing_page(
    client, translator_ar, what_is_aml
):
    revision = workflow.propose(
        what_is_aml, {"title_ar": "ما هو المرض؟"}, translator_ar, submit=True
    )
    arabic_reviewer = grant(
        get_user_model().objects.create_user("huda", "huda@example.org", "pw", is_staff=True),
        "translate_ar",
        "review_ar",
    )
    client.force_login(arabic_reviewer)
    landing = client.get(client.get("/admin/")["Location"])
    waiting = html(landing).find("a", string="Revisions waiting for my review")
    assert waiting and waiting.find_parent("tr").td.get_text() == "1"
    listed = html(client.get(waiting["href"]))
    revision_url = reverse("admin:revisions_revision_change", args=[revision.pk])
    assert listed.select(f"#result_list a[href^='{revision_url}']")
