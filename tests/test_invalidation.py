"""An edit forgets the cached copies of the pages that show it, and only those."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from education.models import Reference, Section
from knowaml import pagecache
from knowaml.languages import language_codes
from knowaml.revisions import workflow
from knowaml.translations.exchange import import_po

from .conftest import html
from .stories_fixtures import make_story, story_text
from .test_page_cache import WITH_PAGE_CACHE, queries
from .test_translation_files import export, fill

SECTION = {
    "en": "/en/understanding-aml/",
    "es": "/es/comprender-la-lma/",
    "fr": "/fr/comprendre-la-lma/",
    "de": "/de/understanding-aml/",
    "ar": iri_to_uri("/ar/فهم-المرض/"),
}


def everywhere(name, **kwargs):
    paths = set()
    for code in language_codes():
        with translation.override(code):
            paths.add(reverse(name, kwargs=kwargs or None))
    return paths


def articles(slugs):
    return {f"{SECTION[code]}{slug}/" for code, slug in slugs.items()}


RELAPSE = articles({"en": "relapse", "es": "recaida", "fr": "rechute", "de": "relapse"})
RELAPSE.add(f"{SECTION['ar']}relapse/")
WHAT_IS_AML = articles(
    {"en": "what-is-aml", "es": "que-es-la-lma", "fr": "qu-est-ce-que-la-lma", "de": "what-is-aml"}
)
WHAT_IS_AML.add(iri_to_uri(f"/ar/فهم-المرض/{'ما-هو-المرض'}/"))
ABOUT = {
    "/en/about-us/",
    "/es/sobre-nosotros/",
    "/fr/about-us/",
    "/de/about-us/",
    "/ar/about-us/",
}


@pytest.fixture
def forgotten(monkeypatch):
    spy = SimpleNamespace(paths=set(), every_page=0)
    monkeypatch.setattr(pagecache, "forget_paths", lambda paths: spy.paths.update(paths))

    def forget_all_pages():
        spy.every_page += 1

    monkeypatch.setattr(pagecache, "forget_all_pages", forget_all_pages)
    spy.clear = lambda: (spy.paths.clear(), setattr(spy, "every_page", 0))
    return spy


def test_an_article_edit_forgets_its_pages_section_lists_and_nothing_else(site, forgotten):
    relapse = site["articles"][1]
    forgotten.clear()
    relapse.body_es = "La recaída significa que la LMA ha vuelto."
    relapse.save()
    assert forgotten.every_page == 0
    assert forgotten.paths == (
        RELAPSE
        | set(SECTION.values())
        | everywhere("education:home")
        | everywhere("search")
        | {"/sitemap.xml"}
    )
    assert "/es/comprender-la-lma/recaida/" in forgotten.paths
    assert not forgotten.paths & (ABOUT | everywhere("glossary") | everywhere("stories:list"))


@pytest.mark.parametrize("field, value", [("title_es", "Recaída de la LMA"), ("order", 9)])
def test_its_siblings_are_forgotten_when_what_they_list_changes(site, forgotten, field, value):
    relapse = site["articles"][1]
    forgotten.clear()
    setattr(relapse, field, value)
    relapse.save()
    assert WHAT_IS_AML <= forgotten.paths  # "In this section" lists its title, in order


def test_a_slug_change_forgets_the_old_address_too(relapse, forgotten):
    forgotten.clear()
    relapse.slug_es = "recaida-de-la-lma"
    relapse.save()
    assert {"/es/comprender-la-lma/recaida/", "/es/comprender-la-lma/recaida-de-la-lma/"} <= (
        forgotten.paths
    )


def test_a_move_to_another_section_forgets_the_old_address_too(relapse, forgotten):
    elsewhere = Section.objects.create(
        order=5, title_en="Living with AML", slug_en="living-with-aml"
    )
    forgotten.clear()
    relapse.section = elsewhere
    relapse.save()
    assert {
        "/en/understanding-aml/relapse/",
        "/en/living-with-aml/relapse/",
        "/es/comprender-la-lma/recaida/",
    } <= forgotten.paths


def test_a_story_edit_forgets_its_pages_the_list_and_feeds(rosa, omar, forgotten):
    older = make_story(
        first_name="Ana",
        published=datetime.date(2025, 6, 1),
        en=story_text("my-first-week", "My first week"),
        es=story_text("mi-primera-semana", "Mi primera semana"),
    )
    forgotten.clear()
    older.body_en = "How it began, told again."
    older.save()
    own = {
        "/en/stories/my-first-week/",
        "/es/historias/mi-primera-semana/",
    }
    assert forgotten.every_page == 0
    assert own <= forgotten.paths
    assert everywhere("stories:list") | everywhere("stories:feed") <= forgotten.paths
    assert everywhere("search") | {"/sitemap.xml"} <= forgotten.paths
    assert not forgotten.paths & everywhere("education:home")


def test_the_latest_storys_title_shows_on_every_page(rosa, forgotten):
    forgotten.clear()
    rosa.title_en = "Caring for Dad"
    rosa.save()
    assert forgotten.every_page


def test_a_section_intro_edit_forgets_the_section_its_articles_and_home(site, forgotten):
    section = site["section"]
    forgotten.clear()
    section.intro_en = "What AML is and how it is treated."
    section.save()
    assert forgotten.every_page == 0
    assert forgotten.paths == (
        set(SECTION.values())
        | RELAPSE
        | WHAT_IS_AML
        | everywhere("education:home")
        | {"/sitemap.xml"}
    )


def test_a_section_title_is_in_every_pages_menu(site, forgotten):
    forgotten.clear()
    site["section"].title_fr = "Comprendre la leucémie"
    site["section"].save()
    assert forgotten.every_page


def test_a_page_body_edit_forgets_its_own_addresses(site, forgotten):
    about = site["about"]
    forgotten.clear()
    about.body_en = "Who we are, in fewer words."
    about.save()
    assert forgotten.every_page == 0
    assert forgotten.paths == ABOUT | everywhere("search") | {"/sitemap.xml"}


def test_a_glossary_term_forgets_the_glossary_search_and_the_texts_it_links(
    site, glossary, forgotten
):
    forgotten.clear()
    glossary["blast"].definition_en = "A young blood cell that did not mature."
    glossary["blast"].save()
    assert forgotten.every_page == 0
    assert forgotten.paths == (
        everywhere("glossary") | everywhere("search") | RELAPSE | WHAT_IS_AML | ABOUT
    )


def test_a_link_check_forgets_nothing(relapse, forgotten):
    reference = relapse.references.get()
    forgotten.clear()
    reference.link_status = "broken"
    reference.link_note = "404"
    reference.save(update_fields=["link_status", "link_note", "link_checked"])
    reference.save()  # the same, without update_fields: nothing visible changed
    assert (forgotten.paths, forgotten.every_page) == (set(), 0)


def test_a_reference_edit_forgets_its_article(relapse, forgotten):
    forgotten.clear()
    Reference.objects.create(article=relapse, citation="A new source.", order=2)
    assert forgotten.paths == RELAPSE and not forgotten.every_page


def test_a_translation_approval_forgets_its_page_not_every_page(reviewer, relapse, forgotten):
    # Reviewing a translation is approving its revision, written by someone else.
    revision = workflow.propose(relapse, {"body_es": "Texto revisado."}, None, submit=True)
    forgotten.clear()
    client = Client()
    client.force_login(reviewer)
    action = reverse("admin:revisions_revision_action", args=[revision.pk, "approve"])
    assert client.post(action, {"role": ""}).status_code == 302
    # Approval saves the article, which forgets its pages like any save does.
    assert "/es/comprender-la-lma/recaida/" in forgotten.paths
    assert not forgotten.every_page


def test_a_translation_import_forgets_the_pages_once_it_commits(
    admin_client, relapse, forgotten, django_capture_on_commit_callbacks
):
    german = export(admin_client, "de")
    fill(german, "", lambda text: f"DE {text}")
    forgotten.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_po(str(german), "de", apply=True).applied
    assert forgotten.every_page == 1


@pytest.fixture
def cached_client(db):
    with override_settings(MIDDLEWARE=WITH_PAGE_CACHE):
        yield Client()


def test_an_edit_shows_at_once_while_other_pages_stay_cached(cached_client, site):
    relapse = site["articles"][1]
    article, section = "/en/understanding-aml/relapse/", SECTION["en"]
    sibling, unrelated = "/en/understanding-aml/what-is-aml/", "/en/about-us/"
    for url in (article, section, sibling, unrelated) * 2:
        cached_client.get(url)
    assert queries(cached_client, unrelated)[1] == 0
    relapse.title_en = "Relapse of AML"
    relapse.save()
    assert html(cached_client.get(article)).h1.get_text() == "Relapse of AML"
    assert "Relapse of AML" in html(cached_client.get(section)).main.get_text()
    assert "Relapse of AML" in html(cached_client.get(sibling)).main.get_text()
    response, rendered_with = queries(cached_client, unrelated)
    assert response.status_code == 200 and rendered_with == 0, "still the cached copy"


def test_a_save_in_a_transaction_is_forgotten_again_when_it_commits(
    relapse, forgotten, django_capture_on_commit_callbacks
):
    calls = []
    pagecache.forget_paths = calls.append
    connection.run_on_commit = []  # the fixtures' saves committed before this transaction
    with django_capture_on_commit_callbacks(execute=True):
        relapse.title_en = "Relapse of AML"
        relapse.save()
        assert len(calls) == 1, "forgotten at once"
    assert len(calls) == 2 and set(calls[1]) == set(calls[0])


def test_an_arabic_edit_shows_at_once_at_its_arabic_address(cached_client, site):
    what_is_aml = site["articles"][0]
    with translation.override("ar"):
        url = what_is_aml.get_absolute_url()
    for _ in range(2):
        cached_client.get(url)
    assert queries(cached_client, url)[1] == 0, "served from the page cache"
    what_is_aml.title_ar = "ما هو المرض؟ (محدث)"
    what_is_aml.save()
    assert html(cached_client.get(url)).h1.get_text(strip=True) == "ما هو المرض؟ (محدث)"


def test_a_fragment_read_between_save_and_commit_is_dropped_on_commit(
    site, django_capture_on_commit_callbacks
):
    from knowaml import fragments

    section = site["section"]
    navigation = fragments._fragments["education:navigation"]
    with django_capture_on_commit_callbacks(execute=True):
        section.title_en = "All about AML"
        section.save()
        during = navigation.version()
    assert navigation.version() != during, "bumped again when the save committed"
