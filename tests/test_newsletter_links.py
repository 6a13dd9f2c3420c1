"""Links in newsletter emails: confirm, one-click unsubscribe and preferences, by token."""

import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from newsletter.emails import confirm_url, unsubscribe_url
from newsletter.models import Subscriber
from newsletter.tokens import make_confirm_token

from .conftest import html
from .newsletter_fixtures import signup_url


@pytest.fixture
def pending(make_subscriber):
    return make_subscriber("es", status=Subscriber.Status.PENDING, email="ana@example.com")


@pytest.fixture
def strict_client():
    """A client that enforces CSRF and carries no cookies, like a mailbox provider."""
    return Client(enforce_csrf_checks=True)


def confirm_path(subscriber):
    return confirm_url(subscriber).removeprefix("http://127.0.0.1:8000")


def test_confirmation_link_from_the_email_opens_a_page_with_a_button(post_signup):
    post_signup("ana@example.com", language="es")
    site = "http://127.0.0.1:8000"
    link = next(word for word in mail.outbox[0].body.split() if word.startswith(site))
    path = link.removeprefix(site)
    assert path.startswith(signup_url("es")) and path != signup_url("es")
    response = Client().get(path)
    assert response.status_code == 200
    assert html(response).select_one("form[method=post] button")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert not response.cookies


def test_opening_the_link_does_not_confirm(client, pending):
    client.get(confirm_path(pending))
    client.head(confirm_path(pending))
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_pressing_the_button_confirms_without_cookies(strict_client, pending):
    response = strict_client.post(confirm_path(pending))
    assert response.status_code == 200
    assert not response.cookies
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.CONFIRMED
    assert pending.confirmed_at
    prefs = html(response).select_one("main a")["href"]
    assert prefs == reverse("newsletter:preferences", args=[pending.token])


def test_expired_link_says_so_and_confirms_nothing(client, pending, monkeypatch, settings):
    path = confirm_path(pending)
    later = time.time() + (settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS * 86400) + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(path)
    assert response.status_code == 410
    with translation.override("es"):
        assert html(response).h1.get_text() == gettext("This link has expired")
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


@pytest.mark.parametrize("tamper", ["flip", "other-id", "garbage"])
def test_tampered_link_confirms_nothing(client, pending, make_subscriber, tamper):
    other = make_subscriber(status=Subscriber.Status.PENDING)
    token = make_confirm_token(pending)
    if tamper == "flip":
        token = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    elif tamper == "other-id":
        token = token.replace(token.split(":")[0], make_confirm_token(other).split(":")[0])
    else:
        token = "not-a-token"
    response = client.post(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 400
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"pending"}


def test_link_of_an_erased_subscriber_no_longer_works(client, pending):
    path = confirm_path(pending)
    pending.leave(Subscriber.Status.ERASED)
    assert client.post(path).status_code == 400


def test_unsubscribe_address_is_outside_the_language_prefix(make_subscriber):
    subscriber = make_subscriber("fr")
    url = unsubscribe_url(subscriber)
    assert url == f"http://127.0.0.1:8000/newsletter/unsubscribe/{subscriber.token}/"


def test_one_click_unsubscribe_post_without_cookies_takes_effect_at_once(
    strict_client, make_subscriber
):
    subscriber = make_subscriber("de")
    path = f"/newsletter/unsubscribe/{subscriber.token}/"
    response = strict_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not response.cookies
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not Subscriber.objects.receiving().exists()
    assert html(response).html["lang"] == "de"


def test_following_the_unsubscribe_link_only_shows_a_button(client, make_subscriber):
    subscriber = make_subscriber("ar")
    response = client.get(f"/newsletter/unsubscribe/{subscriber.token}/")
    assert response.status_code == 200
    page = html(response)
    assert page.html["dir"] == "rtl"
    assert page.select_one("main form[method=post] button")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_unknown_unsubscribe_token_reveals_nothing(strict_client, db):
    unknown = "/newsletter/unsubscribe/" + "x" * 32 + "/"
    assert strict_client.get(unknown).status_code == 404
    assert strict_client.post(unknown).status_code == 200


def test_preferences_page_changes_the_language(strict_client, make_subscriber):
    subscriber = make_subscriber("en")
    path = reverse("newsletter:preferences", args=[subscriber.token])
    page = html(strict_client.get(path))
    assert page.select_one("select[name=language] option[selected]")["value"] == "en"
    response = strict_client.post(path, {"action": "language", "language": "fr"})
    assert response.status_code == 200
    assert not response.cookies
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert html(response).select_one("[role=status]")


def test_preferences_page_unsubscribes(strict_client, make_subscriber):
    subscriber = make_subscriber("es")
    path = reverse("newsletter:preferences", args=[subscriber.token])
    strict_client.post(path, {"action": "unsubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_preferences_of_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("newsletter:preferences", args=["nope"])).status_code == 404


MALFORMED_TOKENS = ["%00", "a%00" + "b" * 31, "x" * 65, "x" * 300, "nope", "a.b" * 8]


@pytest.mark.parametrize("token", MALFORMED_TOKENS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("where", ["preferences", "unsubscribe"])
def test_an_address_that_cannot_be_a_token_is_not_found_without_a_lookup(
    make_subscriber, method, where, token
):
    """PostgreSQL refuses NUL bytes: such a token must never reach a query (a 500 there)."""
    reader = make_subscriber()
    if where == "preferences":
        path = reverse("newsletter:preferences", args=["TOKEN"]).replace("TOKEN", token)
    else:
        path = f"/newsletter/unsubscribe/{token}/"
    with CaptureQueriesContext(connection) as queries:
        response = getattr(Client(raise_request_exception=False), method)(path)
    assert response.status_code == 404
    assert not [query for query in queries if "newsletter_subscriber" in query["sql"]]
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


def test_a_well_formed_token_still_works_everywhere(client, make_subscriber):
    reader = make_subscriber("fr")
    assert client.get(reverse("newsletter:preferences", args=[reader.token])).status_code == 200
    assert client.post(f"/newsletter/unsubscribe/{reader.token}/").status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
