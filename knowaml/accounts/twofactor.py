"""Two-factor sign-in for staff: an authenticator app (TOTP) and single-use backup codes."""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import TwoFactorReset

ENROLMENT_DEVICE = "authenticator"
BACKUP_DEVICE = "backup codes"


def needs_second_factor(request):
    """A staff account signed in with its password that still has to give a code."""
    user = request.user
    return (
        settings.REQUIRE_TWO_FACTOR
        and user.is_active
        and user.is_staff
        and not getattr(user, "is_verified", lambda: False)()
    )


def has_device(user):
    return user_has_device(user, confirmed=True)


def pending_device(user):
    """The authenticator being set up: one unconfirmed device, kept until it is confirmed,
    so reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE, confirmed=False)


def secret(device):
    """The key as authenticator apps take it when typed in (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code(device):
    """The otpauth:// address as an SVG data: URI (the CSP allows images from data:)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


def verify(user, token):
    """The confirmed device that accepts ``token`` (each device throttles its own failures),
    or None. Authenticator codes are six digits; backup codes are letters and digits."""
    token = "".join(str(token).split()).lower()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def confirm(device, token):
    """Confirm the pending authenticator with a code from the app; True if it matched."""
    if not device.verify_token("".join(str(token).split())):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def new_backup_codes(user):
    """Replace the account's backup codes with fresh ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset(user, by):
    """Forget the account's authenticator and backup codes: it enrols again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TwoFactorReset.objects.create(account=user.get_username(), reset_by=by.get_username())
