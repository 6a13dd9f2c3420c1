import pytest
from django.core.management import call_command
from django.utils import translation

from education.models import Article, Page, Section

from .conftest import html

UNDERSTANDING_AML = [
    "what-is-aml",
    "causes-and-symptoms",
    "diagnosis",
    "types",
    "treatment",
    "prognosis",
    "remission",
    "relapse",
    "covid-19",
    "caregivers",
]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_demo_has_every_understanding_aml_page_and_about_us(demo):
    assert list(Article.objects.values_list("slug_en", flat=True)) == UNDERSTANDING_AML
    assert Page.objects.filter(slug_en="about-us").exists()
    for article in Article.objects.all():
        assert article.references.count() >= 2, article
        assert "## " in article.body_en, article
        # Sample text claims no clinical review: no approval record, so none is shown.
        assert article.last_reviewed is None and not article.reviewer_name, article
        assert not article.reviewer_role_en, article


def test_demo_translations_follow_the_plan(demo):
    articles = Article.objects.all()
    assert sum(a.is_translated_into("es") for a in articles) >= 6
    assert sum(a.is_translated_into("fr") for a in articles) >= 6
    assert 1 <= sum(a.is_translated_into("ar") for a in articles) <= 5
    assert not any(a.is_translated_into("de") for a in articles)


def test_loading_again_duplicates_nothing_and_keeps_editors_changes(demo):
    counts = (Section.objects.count(), Article.objects.count(), Page.objects.count())
    relapse = Article.objects.get(slug_en="relapse")
    with translation.override("en"):
        relapse.title_en = "Relapse (edited by an editor)"
        relapse.slug_en = "when-aml-returns"
        relapse.save()
    call_command("load_demo", verbosity=0)
    assert (Section.objects.count(), Article.objects.count(), Page.objects.count()) == counts
    relapse.refresh_from_db()
    assert relapse.title_en == "Relapse (edited by an editor)"


def test_relapse_page_explains_refractory_aml_with_an_anchor(client, demo):
    page = html(client.get("/en/understanding-aml/relapse/"))
    assert page.select_one('.toc a[href="#refractory-aml"]')
    assert page.find("h2", id="refractory-aml")


def test_every_demo_page_renders_in_every_language(client, demo):
    for language in ["en", "es", "fr", "de", "ar"]:
        with translation.override(language):
            urls = [a.get_absolute_url() for a in Article.objects.all()]
            urls += [p.get_absolute_url() for p in Page.objects.all()]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert len(html(response).find_all("h1")) == 1
