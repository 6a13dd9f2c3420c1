"""Newsletter fixtures (a pytest plugin: see tests/conftest.py) and the sign-up address."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from newsletter.models import Issue, Subscriber


def signup_url(language):
    """The sign-up address, whose URL word is translated per language."""
    with translation.override(language):
        return reverse("newsletter:signup")


@pytest.fixture
def post_signup(db, client, django_capture_on_commit_callbacks):
    """POST to the sign-up endpoint the way the box does, running on-commit enqueues."""

    def post(email="ana@example.com", language="", url=None, **extra):
        data = {
            "email": email,
            "language": language,
            "website": "",
            "page": "/en/",
            "wording": "2026-01",
            **extra.pop("data", {}),
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url or signup_url("en"), data, **extra)

    return post


@pytest.fixture
def make_subscriber(db):
    count = iter(range(1, 100_000))

    def make(language="en", status=Subscriber.Status.CONFIRMED, email=None, **fields):
        return Subscriber.objects.create(
            email=email or f"reader{next(count)}-{language}@example.com",
            language=language,
            status=status,
            confirmed_at=timezone.now() if status == Subscriber.Status.CONFIRMED else None,
            **fields,
        )

    return make


@pytest.fixture
def subscribers(make_subscriber):
    """Confirmed readers in English, Spanish, German (no German edition) and Arabic."""
    return [make_subscriber(code) for code in ("en", "es", "de", "ar")]


@pytest.fixture
def issue(db):
    return Issue.objects.create(
        subject_en="AML news for November",
        body_en="A new **treatment** trial.\n\n## Dates\n\nTalks in December.",
        subject_es="Noticias de la LMA de noviembre",
        body_es="Un nuevo ensayo de **tratamiento**.",
        subject_ar="أخبار نوفمبر",
        body_ar="تجربة علاجية جديدة.",
    )
