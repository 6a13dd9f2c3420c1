import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from education.models import Article, Section

from .conftest import html, make_article, page_text


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def article_form(section, **overrides):
    data = {
        "section": section.pk,
        "order": 3,
        "status": "published",
        "published": "2026-01-01",
        "updated": "2026-01-01",
        "title_en": "Diagnosis",
        "slug_en": "diagnosis",
        "summary_en": "How AML is found.",
        "body_en": "Text.",
        "references-TOTAL_FORMS": 0,
        "references-INITIAL_FORMS": 0,
        "references-MIN_NUM_FORMS": 0,
        "references-MAX_NUM_FORMS": 1000,
    }
    for code in ("es", "fr", "de", "ar"):
        for name in (
            "title",
            "slug",
            "summary",
            "body",
            "reviewer_role",
            "video_url",
            "video_title",
            "transcript",
        ):
            data.setdefault(f"{name}_{code}", "")
    data.update(overrides)
    return data


def test_editor_adds_an_article_with_a_spanish_translation(admin_client, section):
    response = admin_client.post(
        reverse("admin:education_article_add"),
        article_form(
            section,
            title_es="Diagnóstico",
            slug_es="diagnostico",
            summary_es="Cómo se detecta.",
            body_es="Texto.",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug_en="diagnosis")
    assert article.title_es == "Diagnóstico"
    assert article.slug_fr is None
    assert article.is_translated_into("es") and not article.is_translated_into("fr")


def test_spanish_slug_equal_to_another_pages_english_slug_is_a_form_error(admin_client, relapse):
    # relapse has no German slug, so under /de/ it answers at its English slug "relapse".
    response = admin_client.post(
        reverse("admin:education_article_add"), article_form(relapse.section, slug_de="relapse")
    )
    assert response.status_code == 200
    errors = html(response).select(".errorlist")
    assert any("relapse" in e.get_text() for e in errors)
    assert not Article.objects.filter(slug_en="diagnosis").exists()


def test_duplicate_slug_in_one_language_is_a_form_error_not_a_500(admin_client, relapse):
    response = admin_client.post(
        reverse("admin:education_article_add"),
        article_form(relapse.section, slug_es="recaida"),
    )
    assert response.status_code == 200
    assert html(response).select(".errorlist")
    assert Article.objects.count() == 1


def test_english_slug_that_is_another_pages_effective_german_slug_clashes(admin_client, relapse):
    response = admin_client.post(
        reverse("admin:education_article_add"), article_form(relapse.section, slug_en="recaida")
    )
    assert response.status_code == 200
    assert html(response).select(".errorlist")


def test_admin_search_finds_text_in_any_language(admin_client, relapse, what_is_aml):
    url = reverse("admin:education_article_changelist")
    with translation.override("en"):
        response = admin_client.get(url, {"q": "Rechute"})
    rows = html(response).select("#result_list tbody tr")
    assert len(rows) == 1 and "Relapse" in rows[0].get_text()


@pytest.fixture
def articles_to_filter(section, relapse, what_is_aml):
    """Relapse overdue, What is AML? a draft due soon, Treatment elsewhere and undated."""
    today = timezone.localdate()
    Article.objects.filter(pk=relapse.pk).update(next_review=today - datetime.timedelta(1))
    Article.objects.filter(pk=what_is_aml.pk).update(
        status="draft", next_review=today + datetime.timedelta(10)
    )
    other = Section.objects.create(order=2, title_en="Living with AML", slug_en="living")
    make_article(other, en=page_text("treatment", "Treatment"))
    Article.objects.filter(slug_en="treatment").update(next_review=None)
    make_article(section, order=3, en=page_text("remission", "Remission"))


@pytest.mark.parametrize(
    "query,listed",
    [
        ({}, ["Relapse", "Remission", "Treatment", "What is AML?"]),
        ({"section": "understanding-aml"}, ["Relapse", "Remission", "What is AML?"]),
        ({"section": "living"}, ["Treatment"]),
        ({"status__exact": "draft"}, ["What is AML?"]),
        ({"status__exact": "published"}, ["Relapse", "Remission", "Treatment"]),
        ({"review": "overdue"}, ["Relapse"]),
        ({"review": "soon"}, ["What is AML?"]),
        ({"review": "none"}, ["Treatment"]),
        ({"review": "overdue", "status__exact": "draft"}, []),
    ],
)
def test_article_list_filters_show_only_the_matching_articles(
    admin_client, articles_to_filter, query, listed
):
    if "section" in query:
        query = {"section__id__exact": Section.objects.get(slug_en=query["section"]).pk}
    response = admin_client.get(reverse("admin:education_article_changelist"), query)
    assert response.status_code == 200
    rows = html(response).select("#result_list tbody th")
    assert sorted(row.get_text() for row in rows) == listed


def test_review_due_filter_lists_overdue_pages(admin_client, relapse, what_is_aml):
    Article.objects.filter(pk=relapse.pk).update(next_review="2020-01-01")
    response = admin_client.get(
        reverse("admin:education_article_changelist"), {"review": "overdue"}
    )
    rows = html(response).select("#result_list tbody tr")
    assert [r.find("th").get_text() for r in rows] == ["Relapse"]


def test_editor_previews_a_draft_that_visitors_cannot_see(admin_client, relapse):
    Article.objects.filter(pk=relapse.pk).update(status="draft")
    assert Client().get("/es/comprender-la-lma/recaida/").status_code == 404
    url = reverse("admin:education_article_preview", args=[relapse.pk])
    response = admin_client.get(url, {"language": "es"})
    assert response.status_code == 200
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    assert html(response).h1.get_text() == "Recaída"


def test_preview_needs_a_staff_login(client, relapse):
    url = reverse("admin:education_article_preview", args=[relapse.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_change_form_has_language_tabs_view_on_site_and_rtl_styling(admin_client, relapse):
    response = admin_client.get(reverse("admin:education_article_change", args=[relapse.pk]))
    page = html(response)
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert any(src.endswith("vendor/jquery-ui/jquery-ui.min.js") for src in scripts)
    assert all(src.startswith("/") for src in scripts)
    assert page.select_one("a.viewsitelink")
    assert "mt-bidi" in page.select_one("#id_body_ar")["class"]
    styles = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(href.endswith("admin-extra/translations.css") for href in styles)


def test_editor_reorders_articles_within_a_section(admin_client, relapse, what_is_aml):
    url = reverse("admin:education_article_changelist")
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-0-id": what_is_aml.pk,
        "form-0-order": 5,
        "form-1-id": relapse.pk,
        "form-1-order": 1,
        "_save": "Save",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    public = html(admin_client.get("/en/understanding-aml/"))
    titles = [a.get_text() for a in public.select(".card__link")]
    assert titles == ["Relapse", "What is AML?"]


@pytest.mark.parametrize(
    "field, slug",
    [
        ("slug_en", "stories"),
        ("slug_en", "glossary"),
        ("slug_es", "historias"),
        ("slug_fr", "recherche"),
        ("slug_en", "search"),
    ],
)
def test_a_page_cannot_take_an_address_the_site_uses(admin_client, field, slug):
    from education.models import Page

    data = {
        "order": 1,
        "status": "published",
        "published": "2026-01-01",
        "updated": "2026-01-01",
        "title_en": "Clash",
        "slug_en": "clash",
        "summary_en": "S.",
        "body_en": "B.",
    }
    for code in ("es", "fr", "de", "ar"):
        for name in ("title", "slug", "summary", "body", "reviewer_role"):
            data.setdefault(f"{name}_{code}", "")
    data[field] = slug
    response = admin_client.post(reverse("admin:education_page_add"), data)
    assert response.status_code == 200
    assert slug in " ".join(e.get_text() for e in html(response).select(".errorlist"))
    assert not Page.objects.exists()
