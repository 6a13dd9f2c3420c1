import datetime
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri

from knowaml import ratelimit
from newsletter.models import Subscriber
from newsletter.tasks import purge_unconfirmed

from .conftest import html
from .newsletter_fixtures import signup_url

EMAIL_TEXT = "text/html"


def test_every_public_page_carries_a_cacheable_signup_box(client, site):
    with translation.override("ar"):
        arabic_section = site["section"].get_absolute_url()
    for url in ["/en/", "/es/", arabic_section]:
        response = client.get(url)
        assert response.status_code == 200
        box = html(response).select_one(".newsletter-box form")
        assert box["method"] == "post"
        assert iri_to_uri(box["action"]) == signup_url(url[1:3])
        assert not box.select("[name=csrfmiddlewaretoken]")
        assert box.select_one("[name=website]").find_parent("div").has_attr("hidden")
        assert box.select_one("[name=page]")["value"] == unquote(url)
        assert box.select_one("[name=language] option[selected]")["value"] == url[1:3]
        assert box.select_one(".newsletter-consent").get_text(strip=True)
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        assert "public" in response["Cache-Control"]


def test_signup_page_works_without_the_box(client, db):
    response = client.get(signup_url("fr"))
    assert response.status_code == 200
    assert html(response).select_one("#newsletter-page-form")
    assert not response.cookies


def test_signup_asks_for_confirmation_in_the_chosen_language(post_signup):
    response = post_signup("ana@example.com", language="ar")
    assert response.status_code == 200
    assert not response.cookies
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.language == "ar"
    (message,) = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.extra_headers["Content-Language"] == "ar"
    html_part = message.alternatives[0]
    assert html_part.mimetype == EMAIL_TEXT
    assert 'dir="rtl"' in html_part.content and 'lang="ar"' in html_part.content
    assert f"http://127.0.0.1:8000{signup_url('ar')}" in message.body


def test_missing_language_means_the_page_language(post_signup):
    post_signup("luis@example.com", language="", url=signup_url("es"))
    assert Subscriber.objects.get().language == "es"


def test_answer_is_identical_whoever_owns_the_address(post_signup, make_subscriber):
    make_subscriber(email="known@example.com")
    make_subscriber(
        email="waiting@example.com",
        status=Subscriber.Status.PENDING,
        confirmation_sent_at=timezone.now(),
    )
    answers = [
        post_signup(email)
        for email in ("new@example.com", "known@example.com", "waiting@example.com")
    ]
    assert {response.status_code for response in answers} == {200}
    assert len({response.content for response in answers}) == 1
    # Every response carries its own random request id; nothing else may differ.
    headers = [{k: v for k, v in r.items() if k != "X-Request-ID"} for r in answers]
    assert len({tuple(sorted(h.items())) for h in headers}) == 1
    # Only the newcomer was emailed: the reader is left alone, the waiting one not flooded.
    assert [message.to for message in mail.outbox] == [["new@example.com"]]


def test_consent_record_keeps_when_where_and_which_wording(post_signup):
    before = timezone.now()
    post_signup("ana@example.com", data={"page": "/en/understanding-aml/relapse/"})
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_at >= before
    assert subscriber.consent_page == "/en/understanding-aml/relapse/"
    assert subscriber.consent_wording == "2026-01"


def test_consent_page_from_elsewhere_is_not_recorded(post_signup):
    post_signup("ana@example.com", data={"page": "//evil.example/x", "wording": "made-up"})
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_page == ""
    assert subscriber.consent_wording == "2026-01"


def test_filled_honeypot_records_nothing_but_answers_the_same(post_signup):
    human = post_signup("human@example.com")
    bot = post_signup("bot@example.com", data={"website": "http://spam.example"})
    assert bot.status_code == human.status_code == 200
    assert bot.content == human.content
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["human@example.com"]
    assert len(mail.outbox) == 1


def test_five_signups_a_minute_pass_then_a_clear_429(post_signup):
    for number in range(5):
        assert post_signup(f"family{number}@example.com").status_code == 200
    with override_settings(NEWSLETTER_SIGNUP_RATE=(5, 60)):
        blocked = post_signup("family6@example.com")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert html(blocked).h1.get_text() == "Too many sign-ups from your connection"
    assert not Subscriber.objects.filter(email="family6@example.com").exists()


def test_default_limit_allows_a_family_of_five(post_signup, settings):
    assert settings.NEWSLETTER_SIGNUP_RATE[0] >= 5


@override_settings(NEWSLETTER_SIGNUP_RATE=(1, 60), TRUSTED_PROXY_COUNT=1)
def test_rate_limit_uses_the_address_our_proxy_saw(post_signup):
    first = post_signup("a@example.com", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    other_client = post_signup("b@example.com", HTTP_X_FORWARDED_FOR="198.51.100.8")
    # A client cannot escape by inventing addresses left of the one our proxy added.
    spoofed = post_signup("c@example.com", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert [first.status_code, other_client.status_code, spoofed.status_code] == [200, 200, 429]


def test_forwarded_for_is_ignored_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.post(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.4"
    )
    assert ratelimit.client_ip(request) == "203.0.113.9"


def test_ipv6_neighbours_share_one_limit():
    assert ratelimit.address_key("2001:db8::1") == ratelimit.address_key("2001:db8::ffff")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Ana@Bücher.Example", "ana@bücher.example"),
        ("x@xn--bcher-kva.example", "x@bücher.example"),
        ("قارئ@example.com", None),
        ("yo@ejemplo.españa", "yo@ejemplo.españa"),
    ],
)
def test_internationalised_domains_are_accepted(post_signup, typed, stored):
    response = post_signup(typed)
    if stored is None:
        assert response.status_code == 400
        assert not Subscriber.objects.exists()
    else:
        assert response.status_code == 200
        assert Subscriber.objects.get().email == stored
        assert mail.outbox[0].to == [stored]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ana",
        "ana@",
        "@example.com",
        "ana@localhost",
        "ana@[127.0.0.1]",
        "a b@example.com",
        '"a"@example.com',
        "ana@example..com",
        "ana@-bad.com",
        "ana@example.123",
        "a" * 65 + "@example.com",
        "ana@" + "b" * 64 + ".com",
        "ana@example.com\nBcc: x@example.com",
    ],
)
def test_bad_address_gets_a_form_error_not_a_500(post_signup, typed):
    response = post_signup(typed)
    assert response.status_code == 400
    error = html(response).select_one("#newsletter-page-form .form-error")
    assert error and error.get_text(strip=True)
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_signup_from_another_site_is_refused(post_signup):
    response = post_signup("ana@example.com", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_signup_from_this_site_passes_the_origin_check(post_signup):
    response = post_signup("ana@example.com", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers, accepted",
    [
        ({"HTTP_REFERER": "https://evil.example/page"}, False),
        ({"HTTP_REFERER": "http://testserver/en/"}, True),
        ({"HTTP_ORIGIN": "null"}, False),
        ({}, True),  # privacy tools strip both headers; the other guards still apply
    ],
    ids=["referer-elsewhere", "referer-here", "origin-null", "no-headers"],
)
def test_signup_origin_check_falls_back_to_the_referer(post_signup, headers, accepted):
    response = post_signup("ana@example.com", **headers)
    assert response.status_code == (200 if accepted else 403)
    assert Subscriber.objects.exists() == accepted


def test_refused_signup_links_to_our_own_form(post_signup):
    response = post_signup("ana@example.com", HTTP_ORIGIN="https://evil.example")
    page = html(response)
    assert page.select_one(f'main a[href="{signup_url("en")}"]')
    assert response["Cache-Control"] == "no-store" and not response.cookies


def test_signing_up_again_resends_at_most_once_per_interval(post_signup, settings):
    settings.NEWSLETTER_RESEND_INTERVAL_MINUTES = 15
    post_signup("ana@example.com")
    post_signup("ana@example.com")
    assert len(mail.outbox) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=16))
    post_signup("ana@example.com", language="fr")
    assert len(mail.outbox) == 2
    assert signup_url("fr") in mail.outbox[1].body


def test_unsubscribed_reader_can_sign_up_again_with_a_new_confirmation(
    post_signup, make_subscriber
):
    make_subscriber(email="back@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    post_signup("back@example.com")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1


def test_bounced_address_is_not_emailed_again(post_signup, make_subscriber):
    make_subscriber(email="gone@example.com", status=Subscriber.Status.BOUNCED)
    post_signup("gone@example.com")
    assert Subscriber.objects.get().status == Subscriber.Status.BOUNCED
    assert not mail.outbox


def test_unconfirmed_signups_are_purged_after_the_set_days(make_subscriber, settings):
    settings.NEWSLETTER_PURGE_UNCONFIRMED_DAYS = 7
    old = timezone.now() - datetime.timedelta(days=8)
    make_subscriber(email="stale@example.com", status=Subscriber.Status.PENDING, created=old)
    make_subscriber(email="fresh@example.com", status=Subscriber.Status.PENDING)
    make_subscriber(email="reader@example.com", created=old)
    call_command("purge_unconfirmed_subscribers", verbosity=0)
    remaining = set(Subscriber.objects.values_list("email", flat=True))
    assert remaining == {"fresh@example.com", "reader@example.com"}


def test_purge_also_runs_as_a_task(make_subscriber):
    old = timezone.now() - datetime.timedelta(days=30)
    make_subscriber(email="stale@example.com", status=Subscriber.Status.PENDING, created=old)
    result = purge_unconfirmed.enqueue()
    assert result.return_value == 1
    assert not Subscriber.objects.exists()


def private_pages(subscriber):
    from newsletter.emails import confirm_url

    with translation.override("es"):
        preferences = reverse("newsletter:preferences", args=[subscriber.token])
    return [
        preferences,
        f"/newsletter/unsubscribe/{subscriber.token}/",
        confirm_url(subscriber).removeprefix("http://127.0.0.1:8000"),
    ]


def test_box_on_a_token_page_does_not_carry_the_token(client, make_subscriber):
    reader = make_subscriber("es", status=Subscriber.Status.PENDING)
    for path in private_pages(reader):
        response = client.get(path)
        assert response.status_code == 200, path
        box = html(response).select_one(".newsletter-box form")
        assert box.select_one("[name=page]").get("value", "") == "", path
        assert reader.token not in str(box), path


def test_a_token_page_sent_as_the_consent_page_is_not_recorded(post_signup, make_subscriber):
    reader = make_subscriber("es")
    for number, path in enumerate(private_pages(reader)):
        post_signup(f"new{number}@example.com", data={"page": path})
    pages = Subscriber.objects.exclude(pk=reader.pk).values_list("consent_page", flat=True)
    assert list(pages) == ["", "", ""]
    post_signup("public@example.com", data={"page": "/es/"})
    assert Subscriber.objects.get(email="public@example.com").consent_page == "/es/"
