import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from education.models import Article, Page, Reference, Section
from knowaml.languages import language_codes
from knowaml.translations.groups import CLINICAL_REVIEWERS_GROUP, sync_groups

# Fixtures shared by several test files; helpers in them (make_story, signup_url...) are
# imported by name.
pytest_plugins = [
    "tests.glossary_fixtures",
    "tests.newsletter_fixtures",
    "tests.stories_fixtures",
    "tests.admin_fixtures",  # after the fixtures it imports, so that pytest rewrites them
]

LANGUAGES = language_codes()


@pytest.fixture(autouse=True)
def fresh_language_and_cache():
    """The active language leaks between tests and decides which column is written."""
    cache.clear()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


def html(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def translations(**languages):
    """``translations(en={"title": "A"}, es={...})`` → ``{"title_en": "A", ...}``."""
    return {
        f"{field}_{code}": value
        for code, fields in languages.items()
        for field, value in fields.items()
    }


def page_text(slug, title=None, body=None):
    title = title or slug.replace("-", " ").capitalize()
    return {
        "title": title,
        "slug": slug,
        "summary": f"Summary of {title}.",
        "body": body or f"Intro for {title}.\n\n## First part\n\nText.\n\n## Second part\n\nMore.",
    }


@pytest.fixture
def section(db):
    return Section.objects.create(
        order=1,
        **translations(
            en={"title": "Understanding AML", "slug": "understanding-aml"},
            es={"title": "Comprender la LMA", "slug": "comprender-la-lma"},
            fr={"title": "Comprendre la LMA", "slug": "comprendre-la-lma"},
            ar={"title": "فهم المرض", "slug": "فهم-المرض"},
        ),
    )


def make_article(section, order=1, status=Article.Status.PUBLISHED, **languages):
    article = Article.objects.create(
        section=section,
        order=order,
        status=status,
        last_reviewed=datetime.date(2026, 9, 1),
        next_review=datetime.date(2027, 9, 1),
        reviewer_name="Dr Sample Reviewer",
        **translations(**languages),
    )
    Reference.objects.create(
        article=article,
        citation="Döhner H, et al. Diagnosis and management of AML in adults. Blood. 2022.",
        url="https://doi.org/10.1182/blood.2022016867",
        published="2022",
        accessed=datetime.date(2026, 9, 1),
    )
    return article


@pytest.fixture
def relapse(section):
    body = (
        "Relapse means AML has come back.\n\n## Why it happens\n\nText.\n\n"
        "## Refractory AML\n\nMore."
    )
    return make_article(
        section,
        order=2,
        en=page_text("relapse", "Relapse", body),
        es=page_text("recaida", "Recaída", body),
        fr=page_text("rechute", "Rechute", body),
    )


@pytest.fixture
def what_is_aml(section):
    return make_article(
        section,
        order=1,
        en=page_text("what-is-aml", "What is AML?"),
        es=page_text("que-es-la-lma", "¿Qué es la LMA?"),
        fr=page_text("qu-est-ce-que-la-lma", "Qu'est-ce que la LMA ?"),
        ar=page_text("ما-هو-المرض", "ما هو ابيضاض الدم النقوي الحاد؟"),
    )


@pytest.fixture
def about(db):
    return Page.objects.create(
        status=Page.Status.PUBLISHED,
        **translations(en=page_text("about-us", "About us"), es=page_text("sobre-nosotros")),
    )


@pytest.fixture
def site(section, what_is_aml, relapse, about):
    return {"section": section, "articles": [what_is_aml, relapse], "about": about}


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: a missing browser or service must not hide."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI=1: {len(skipped)} test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1


def grant(user, *codenames):
    perms = Permission.objects.filter(
        content_type__app_label="translations", codename__in=codenames
    )
    user.user_permissions.add(*perms)
    return get_user_model().objects.get(pk=user.pk)  # drop the permission cache


@pytest.fixture
def translator_es(db):
    user = get_user_model().objects.create_user("ana", "ana@example.org", "pw", is_staff=True)
    return grant(user, "translate_es")


@pytest.fixture
def translator_ar(db):
    user = get_user_model().objects.create_user("layla", "layla@example.org", "pw", is_staff=True)
    return grant(user, "translate_ar")


@pytest.fixture
def reviewer(db):
    user = get_user_model().objects.create_user("rev", "rev@example.org", "pw", is_staff=True)
    return grant(user, "translate_es", "review_es")


@pytest.fixture
def clinician(db):
    """A member of the Clinical reviewers group."""
    sync_groups()
    user = get_user_model().objects.create_user("clara", "clara@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS_GROUP))
    return get_user_model().objects.get(pk=user.pk)
