"""Nothing is saved without an English address: links would point at /…/None/."""

import pytest
from django.urls import reverse

from education.models import Article, GlossaryTerm, Page, Section
from stories.models import Story

from .conftest import html
from .test_text_entry import as_browser_sends

ENGLISH = {
    Section: {"title_en": "Living with AML"},
    Article: {
        "title_en": "Living with AML",
        "summary_en": "Day to day.",
        "body_en": "Text.",
        "status": "published",
        "published": "2026-11-01",
        "updated": "2026-11-01",
    },
    Page: {
        "title_en": "Living with AML",
        "summary_en": "Day to day.",
        "body_en": "Text.",
        "status": "published",
        "published": "2026-11-01",
        "updated": "2026-11-01",
    },
    GlossaryTerm: {"term_en": "Blast cell", "definition_en": "An immature blood cell."},
    Story: {
        "title_en": "Living with AML",
        "summary_en": "Day to day.",
        "body_en": "Text.",
        "status": "published",
        "published": "2026-11-01",
        "consent_on_file": "2026-10-01",
        "first_name": "Sam",
        "role": "patient",
    },
}


def add_form(admin_client, model, section, **values):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    form = html(admin_client.get(url)).select_one(f"#{opts.model_name}_form")
    data = {**as_browser_sends(form), **ENGLISH[model], **values}
    if model is Article:
        data["section"] = section.pk
    return url, data


@pytest.mark.parametrize("model", list(ENGLISH))
def test_a_page_without_an_english_slug_is_refused_and_nothing_is_saved(
    admin_client, section, model
):
    before = model.objects.count()
    url, data = add_form(admin_client, model, section, slug_en="")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    error = html(response).select_one(".field-slug_en .errorlist, #slug_en_error, .errorlist")
    assert error is not None and "English web address" in error.get_text()
    assert model.objects.count() == before


@pytest.mark.parametrize("model", list(ENGLISH))
def test_the_same_form_with_a_slug_saves(admin_client, section, model):
    url, data = add_form(admin_client, model, section, slug_en="living-with-aml-2")
    response = admin_client.post(url, data)
    assert response.status_code == 302, html(response).select(".errorlist")
    assert model.objects.filter(slug_en="living-with-aml-2").exists()


@pytest.mark.parametrize("model", list(ENGLISH))
def test_the_add_form_fills_each_slug_from_its_title(admin_client, model):
    opts = model._meta
    page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    fields = page.context["adminform"].prepopulated_fields
    pairs = {f["field"].name: [d.name for d in f["dependencies"]] for f in fields}
    title = "term" if model is GlossaryTerm else "title"
    for code in ("en", "es", "fr", "de", "ar"):
        assert pairs[f"slug_{code}"] == [f"{title}_{code}"]
