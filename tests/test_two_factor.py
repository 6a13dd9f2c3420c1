"""Two-factor sign-in for staff: enrolment by QR code, codes, backup codes and resets."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from knowaml.accounts.models import TwoFactorReset

from .conftest import html

PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]


@pytest.fixture
def two_factor_required(settings):
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username="editor", next_url="/admin/education/article/"):
    return client.post(
        f"/admin/login/?next={next_url}",
        {"username": username, "password": PASSWORD, "next": next_url},
    )


def code_for(secret_or_device, step_offset=0):
    """The authenticator app's current code, from the key shown on the page or a device."""
    if isinstance(secret_or_device, TOTPDevice):
        key = secret_or_device.bin_key
    else:
        key = base64.b32decode(secret_or_device.replace(" ", ""))
    return f"{totp(key, drift=step_offset):06d}"


def enrol(client, next_url="/admin/education/article/"):
    """Sign in, scan (read the key), confirm; returns the key and the backup codes."""
    answer = sign_in(client, next_url=next_url)
    assert answer.status_code == 302
    assert answer.url.startswith("/admin/two-factor/set-up/")
    page = client.get(answer.url)
    secret = html(page).find(id="two-factor-secret").text
    confirmed = client.post(answer.url, {"code": code_for(secret), "next": next_url})
    assert confirmed.status_code == 302
    codes_page = client.get(confirmed.url)
    codes = [code.text for code in html(codes_page).select("#backup-codes code")]
    return secret, codes, codes_page


def test_staff_without_a_device_are_sent_to_set_one_up_and_cannot_reach_the_admin(client, editor):
    answer = sign_in(client)
    assert answer.status_code == 302
    assert answer.url == "/admin/two-factor/set-up/?next=%2Fadmin%2Feducation%2Farticle%2F"
    for path in (
        "/admin/",
        "/admin/education/article/",
        "/admin/translations/",
        "/admin/auth/user/",
        "/admin/two-factor/backup-codes/",
    ):
        refused = client.get(path)
        assert refused.status_code == 302, path
        assert (
            client.get(refused.url, follow=True)
            .redirect_chain[-1][0]
            .startswith("/admin/two-factor/set-up/")
        ), path
    page = client.get("/admin/two-factor/set-up/")
    assert page.status_code == 200
    qr = html(page).find("img", class_="two-factor-qr")
    assert qr["src"].startswith("data:image/svg+xml")
    assert "Content-Security-Policy" in page and "data:" in page["Content-Security-Policy"]
    assert re.fullmatch(r"[A-Z2-7 ]{32,}", html(page).find(id="two-factor-secret").text)
    # Reloading shows the same key until it is confirmed.
    again = client.get("/admin/two-factor/set-up/")
    assert html(again).find(id="two-factor-secret").text == (
        html(page).find(id="two-factor-secret").text
    )


def test_enrolment_with_the_right_code_shows_ten_backup_codes_once(client, editor):
    secret, codes, codes_page = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert html(codes_page).find("a", string=re.compile("continue"))["href"] == (
        "/admin/education/article/"
    )
    assert client.get("/admin/education/article/").status_code == 200
    assert TOTPDevice.objects.get(user=editor).confirmed
    shown_again = client.get("/admin/two-factor/backup-codes/")
    assert html(shown_again).select("#backup-codes code") == []
    assert "cannot be shown again" in shown_again.content.decode()


def test_enrolment_with_a_wrong_code_fails(client, editor):
    answer = sign_in(client)
    page = client.get(answer.url)
    secret = html(page).find(id="two-factor-secret").text
    wrong = f"{(int(code_for(secret)) + 1) % 1_000_000:06d}"
    refused = client.post(answer.url, {"code": wrong})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


def test_signing_in_again_asks_for_a_code(client, editor):
    secret, _codes, _page = enrol(client)
    client.logout()
    answer = sign_in(client)
    assert answer.url == "/admin/two-factor/?next=%2Fadmin%2Feducation%2Farticle%2F"
    assert client.get("/admin/").status_code == 302
    page = client.get(answer.url)
    assert page.status_code == 200 and html(page).find(id="two-factor-form")
    # The enrolment spent this time step's code; the app's next code is accepted.
    accepted = client.post(answer.url, {"code": code_for(secret, 1)})
    assert accepted.status_code == 302 and accepted.url == "/admin/education/article/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, editor):
    secret, _codes, _page = enrol(client)
    client.logout()
    sign_in(client)
    wrong = f"{(int(code_for(secret, 1)) + 500_000) % 1_000_000:06d}"
    refused = client.post("/admin/two-factor/", {"code": wrong})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_backup_code_works_once(client, editor):
    _secret, codes, _page = enrol(client)
    client.logout()
    step = sign_in(client).url
    used = client.post(step, {"code": codes[0].upper()}, follow=True)
    assert used.redirect_chain[-1][0] == "/admin/education/article/"
    assert "9 backup codes are left" in used.content.decode()
    client.logout()
    sign_in(client)
    StaticDevice.objects.update(throttling_failure_count=0)
    again = client.post("/admin/two-factor/", {"code": codes[0]})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()


def test_new_backup_codes_replace_the_old_ones(client, editor):
    _secret, codes, _page = enrol(client)
    made = client.post("/admin/two-factor/backup-codes/", follow=True)
    new_codes = [code.text for code in html(made).select("#backup-codes code")]
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    client.logout()
    sign_in(client)
    assert client.post("/admin/two-factor/", {"code": codes[1]}).status_code == 200
    StaticDevice.objects.update(throttling_failure_count=0)
    assert client.post("/admin/two-factor/", {"code": new_codes[1]}).status_code == 302


def test_an_editor_resets_another_accounts_two_factor(client, editor, translator_es):
    translator_es.set_password(PASSWORD)
    translator_es.save()
    enrol(client)  # the editor, verified
    other = TOTPDevice.objects.create(user=translator_es, name="phone", confirmed=True)
    StaticDevice.objects.create(user=translator_es, name="backup codes")
    listing = client.get("/admin/auth/user/")
    assert "reset_two_factor" in listing.content.decode()
    answer = client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [translator_es.pk]},
        follow=True,
    )
    assert "Two-factor sign-in was reset for 1 account" in answer.content.decode()
    assert not TOTPDevice.objects.filter(pk=other.pk).exists()
    assert not StaticDevice.objects.filter(user=translator_es).exists()
    (record,) = TwoFactorReset.objects.all()
    assert (record.account, record.reset_by) == ("ana", "editor")
    assert "ana" in client.get("/admin/accounts/twofactorreset/").content.decode()
    # The translator sets up a new authenticator at their next sign-in.
    translator = client.__class__()
    assert sign_in(translator, "ana").url.startswith("/admin/two-factor/set-up/")


def test_a_translator_cannot_reset_others(client, editor, translator_es):
    translator_es.set_password(PASSWORD)
    translator_es.save()
    translator_es.user_permissions.add(
        Permission.objects.get(codename="view_user"), Permission.objects.get(codename="change_user")
    )
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    translator = client
    sign_in(translator, "ana")
    page = translator.get("/admin/two-factor/set-up/")
    secret = html(page).find(id="two-factor-secret").text
    translator.post("/admin/two-factor/set-up/", {"code": code_for(secret)})
    listing = translator.get("/admin/auth/user/")
    assert listing.status_code == 200
    assert "reset_two_factor" not in listing.content.decode()
    answer = translator.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [editor.pk]}
    )
    assert answer.status_code in (200, 302)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not TwoFactorReset.objects.exists()


def test_the_reset_permission_lets_a_non_superuser_reset(client, editor, translator_es):
    translator_es.set_password(PASSWORD)
    translator_es.save()
    translator_es.user_permissions.add(
        Permission.objects.get(codename="view_user"),
        Permission.objects.get(codename="reset_two_factor"),
    )
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    sign_in(client, "ana")
    secret = html(client.get("/admin/two-factor/set-up/")).find(id="two-factor-secret").text
    client.post("/admin/two-factor/set-up/", {"code": code_for(secret)})
    client.post(
        "/admin/auth/user/", {"action": "reset_two_factor", "_selected_action": [editor.pk]}
    )
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_codes_and_secrets_are_not_browsable_in_the_admin(client, editor):
    enrol(client)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_signing_out_before_the_code(client, editor):
    sign_in(client)
    answer = client.post("/admin/two-factor/sign-out/")
    assert answer.status_code == 302 and answer.url == "/admin/login/"
    assert "_auth_user_id" not in client.session


def test_next_must_stay_on_this_site(client, editor):
    _secret, codes, codes_page = enrol(client, next_url="https://evil.example/")
    assert html(codes_page).find("a", string=re.compile("continue"))["href"] == "/admin/"
    client.logout()
    step = sign_in(client, next_url="https://evil.example/").url
    backup = client.post(step, {"code": codes[0]})
    assert backup.status_code == 302 and backup.url == "/admin/"


@override_settings(REQUIRE_TWO_FACTOR=False)
def test_without_the_requirement_the_password_is_enough(client, editor):
    answer = sign_in(client)
    assert answer.status_code == 302 and answer.url == "/admin/education/article/"
    assert client.get("/admin/").status_code == 200


def test_force_login_is_not_verified_when_required(admin_client):
    answer = admin_client.get("/admin/")
    assert answer.status_code == 302 and answer.url.startswith("/admin/login/")


def test_without_a_next_address_enrolment_ends_on_the_admin_index(client, editor):
    answer = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert answer.url == "/admin/two-factor/set-up/"
    secret = html(client.get(answer.url)).find(id="two-factor-secret").text
    confirmed = client.post(answer.url, {"code": code_for(secret)})
    codes_page = client.get(confirmed.url)
    assert html(codes_page).find("a", string=re.compile("continue"))["href"] == "/admin/"
