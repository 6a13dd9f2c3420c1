"""Public forms carry no CSRF token, so every public POST checks where it comes from."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from knowaml.feedback.models import Feedback
from newsletter.models import Subscriber

from .conftest import html

FEEDBACK = "/en/feedback/"

# Pages reached from an email link: the token in the address is the credential, and their
# Referrer-Policy (no-referrer) makes browsers send "Origin: null" from their own forms.
# One-click unsubscribe (RFC 8058) is POSTed by mail providers from elsewhere by design.
TOKEN_GUARDED = {"newsletter:confirm", "newsletter:preferences", "newsletter-unsubscribe"}


@pytest.fixture
def post_feedback(client, site):
    target = f"education.article:{site['articles'][1].pk}"

    def post(url=FEEDBACK, **headers):
        return client.post(url, {"target": target, "helpful": "no", "comment": "?"}, **headers)

    return post


def test_feedback_from_another_site_is_refused_and_nothing_is_stored(post_feedback):
    response = post_feedback(HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    assert not Feedback.objects.exists()
    page = html(response)
    assert len(page.find_all("h1")) == 1 and "Traceback" not in page.get_text()
    assert "another website" in page.get_text()
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_refusal_page_is_in_the_visitors_language(post_feedback):
    response = post_feedback(url="/es/opinion/", HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    page = html(response)
    assert page.html["lang"] == "es"
    assert page.select_one('main a[href="/es/"]'), "a way to the Spanish home page"


def test_feedback_from_this_site_is_stored(post_feedback):
    response = post_feedback(HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "headers, stored",
    [
        ({"HTTP_REFERER": "https://evil.test/en/understanding-aml/relapse/"}, False),
        ({"HTTP_REFERER": "http://testserver/en/understanding-aml/relapse/"}, True),
        ({"HTTP_ORIGIN": "null", "HTTP_REFERER": "http://testserver/en/"}, False),
        ({"HTTP_ORIGIN": "https://evil.test", "HTTP_REFERER": "http://testserver/en/"}, False),
        ({}, True),
    ],
    ids=["referer-elsewhere", "referer-here", "origin-null", "origin-wins", "no-headers"],
)
def test_referer_is_the_fallback_when_origin_is_missing(post_feedback, headers, stored):
    response = post_feedback(**headers)
    assert response.status_code == (303 if stored else 403)
    assert Feedback.objects.exists() == stored


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("https://knowaml.example", True),  # SITE_URL, whatever Host the proxy passed on
        ("https://forms.example.org", True),  # CSRF_TRUSTED_ORIGINS
        ("https://fr.partner.example", True),  # CSRF_TRUSTED_ORIGINS wildcard
        ("http://fr.partner.example", False),  # same host, other scheme
        ("https://testserver", False),  # this host, but not over the scheme it was asked
        ("https://knowaml.example.evil.test", False),
        ("https://evil.test", False),
    ],
)
def test_site_url_and_trusted_origins_are_same_site(post_feedback, settings, origin, allowed):
    settings.SITE_URL = "https://knowaml.example"
    settings.CSRF_TRUSTED_ORIGINS = ["https://forms.example.org", "https://*.partner.example"]
    response = post_feedback(HTTP_ORIGIN=origin)
    assert response.status_code == (303 if allowed else 403)
    assert Feedback.objects.exists() == allowed


def test_one_click_unsubscribe_still_works_from_a_mail_provider(client, make_subscriber):
    subscriber = make_subscriber()
    response = client.post(
        f"/newsletter/unsubscribe/{subscriber.token}/",
        {"List-Unsubscribe": "One-Click"},
        HTTP_ORIGIN="https://mail.provider.example",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def csrf_exempt_views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from csrf_exempt_views(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "csrf_exempt", False):
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_public_post_without_csrf_token_checks_its_origin():
    """A form added later without a CSRF token must check the origin or say why not."""
    found = dict(csrf_exempt_views(get_resolver().url_patterns))
    unguarded = {name for name, view in found.items() if not getattr(view, "same_site_only", False)}
    assert {"feedback:submit", "newsletter:signup"} <= found.keys() - unguarded
    assert unguarded == TOKEN_GUARDED
