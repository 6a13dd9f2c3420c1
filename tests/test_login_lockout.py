"""Repeated failed sign-ins lock out the (account, address) pair, then the address."""

import datetime
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from .conftest import html

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, times, username="editor", address="203.0.113.7"):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", address)
        assert response.status_code in (200, 429)
    return response


def test_five_wrong_passwords_lock_the_account_from_that_address_with_a_friendly_page(
    client, editor
):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200
    locked = sign_in(client, "editor", "wrong")
    assert locked.status_code == 429
    page = html(locked)
    assert "Too many failed sign-ins" in page.title.text
    text = page.find(id="content-main").get_text(" ", strip=True)
    assert "You can try again after" in text
    assert "unlock your account" in text
    assert 1700 <= int(locked["Retry-After"]) <= 1800, "30 minutes"
    # The right password is refused too while the lock lasts.
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_translated(client, editor):
    fail(client, 5)
    response = sign_in(client, "editor", "wrong", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()


def test_an_attacker_elsewhere_cannot_lock_the_editor_out(client, editor):
    fail(client, 10, address="198.51.100.66")
    assert sign_in(client, "editor", "wrong", "198.51.100.66").status_code == 429
    answer = sign_in(client, "editor", PASSWORD, address="203.0.113.7")
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_one_address_trying_many_accounts_is_locked_out_after_thirty(client, editor):
    for number in range(29):
        assert sign_in(client, f"guess{number % 5}-{number}", "wrong").status_code == 200
    assert sign_in(client, "someone-else", "wrong").status_code == 429
    # Every account, even with the right password, from that address only.
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="192.0.2.10").status_code == 302


def test_a_locked_out_attempt_hashes_no_password(client, editor, settings):
    """Axes refuses before authenticate() reaches a password hasher, so a locked-out
    attacker costs a couple of queries, not a password hash."""
    (hasher_path,) = settings.PASSWORD_HASHERS
    with mock.patch(f"{hasher_path}.encode", autospec=True, side_effect=lambda *a: "x") as encode:
        sign_in(client, "editor", "wrong")
        assert encode.call_count == 1, "an ordinary wrong password is hashed"
        fail(client, 4)
        encode.reset_mock()
        for _ in range(20):
            assert sign_in(client, "editor", PASSWORD).status_code == 429
            assert sign_in(client, "editor", "wrong").status_code == 429
    assert encode.call_count == 0


def test_attempts_while_locked_do_not_extend_the_lock(client, editor):
    fail(client, 5)
    (attempt,) = AccessAttempt.objects.all()
    before = (attempt.failures_since_start, attempt.attempt_time)
    for _ in range(3):
        assert sign_in(client, "editor", "wrong").status_code == 429
    attempt.refresh_from_db()
    assert (attempt.failures_since_start, attempt.attempt_time) == before


def test_the_lock_ends_after_the_cool_off(client, editor):
    fail(client, 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=31)
    )
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_an_editor_unlocks_an_account_in_the_admin(client, admin_client, editor):
    fail(client, 5)
    (attempt,) = AccessAttempt.objects.all()
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    answer = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert answer.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_axes_reset_username_unlocks_from_the_command_line(client, editor):
    fail(client, 5)
    call_command("axes_reset_username", "editor")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_a_success_clears_the_accounts_failures(client, editor):
    fail(client, 4)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_others(client, editor):
    get_user_model().objects.create_user("mallory", password=PASSWORD, is_staff=True)
    fail(client, 4)
    assert sign_in(client, "mallory", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "editor", "wrong").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_forwarded_client_address_is_locked(client, editor):
    def via_proxy(password, forwarded):
        return client.post(
            LOGIN,
            {"username": "editor", "password": password, "next": "/admin/"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(5):
        via_proxy("wrong", "forged, 198.51.100.66")
    assert via_proxy(PASSWORD, "198.51.100.66").status_code == 429
    # The proxy's own address is not what was locked: another client still signs in.
    assert via_proxy(PASSWORD, "203.0.113.7").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_ipv6_clients_are_counted_per_64(client, editor):
    for host in range(5):
        sign_in(client, "editor", "wrong", address=f"2001:db8:1:2::{host + 1}")
    assert sign_in(client, "editor", PASSWORD, address="2001:db8:1:2::99").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_a_viewer_of_failed_sign_ins_cannot_unlock_or_clean_up(client, editor):
    from django.contrib.auth.models import Permission

    fail(client, 5)
    viewer = get_user_model().objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    admin = client.__class__()
    admin.force_login(viewer)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "cleanup_expired_attempts" not in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    (attempt,) = AccessAttempt.objects.all()
    for action in ("cleanup_expired_attempts", "delete_selected"):
        admin.post(
            "/admin/axes/accessattempt/",
            {"action": action, "_selected_action": [attempt.pk], "post": "yes"},
        )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
