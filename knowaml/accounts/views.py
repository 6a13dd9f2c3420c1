import functools
import math

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import twofactor
from .forms import CodeForm, EnrolForm

BACKUP_CODES_SESSION_KEY = "two_factor_backup_codes"


def password_checked(site):
    """For the steps after the password: a signed-in staff account that still owes its code;
    anyone else goes to the sign-in page."""

    def decorator(view):
        @functools.wraps(view)
        @never_cache
        @csrf_protect
        def wrapped(request):
            user = request.user
            if not (user.is_active and user.is_staff):
                return redirect(reverse("admin:login", current_app=site.name))
            if not twofactor.needs_second_factor(request) and view is not sign_out:
                return redirect(next_url(request))
            return view(request, site)

        return wrapped

    return decorator


def next_url(request):
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def render(request, site, template, title, **context):
    return TemplateResponse(
        request,
        template,
        {
            **site.each_context(request),
            "title": title,
            "next": next_url(request),
            "redirect_field_name": REDIRECT_FIELD_NAME,
            **context,
        },
    )


def verify(request, site):
    """Second step of signing in: a code from the authenticator app, or a backup code."""
    if not twofactor.has_device(request.user):
        return site.second_factor(request, next_url(request))
    form = CodeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = form.device.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You used a backup code. %(count)d backup code is left.",
                    "You used a backup code. %(count)d backup codes are left.",
                    left,
                )
                % {"count": left},
            )
        return redirect(next_url(request))
    return render(
        request, site, "accounts/two_factor_verify.html", _("Two-factor sign-in"), form=form
    )


def enrol(request, site):
    """First sign-in without an authenticator: scan the QR code, confirm with a code."""
    if twofactor.has_device(request.user):
        return site.second_factor(request, next_url(request))
    device = twofactor.pending_device(request.user)
    form = EnrolForm(request.user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session[BACKUP_CODES_SESSION_KEY] = twofactor.new_backup_codes(request.user)
        url = reverse("admin:two_factor_backup_codes", current_app=site.name)
        return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url(request)})}")
    return render(
        request,
        site,
        "accounts/two_factor_enrol.html",
        _("Set up two-factor sign-in"),
        form=form,
        qr_code=twofactor.qr_code(device),
        secret=twofactor.secret(device),
    )


@require_POST
def sign_out(request, site):
    logout(request)
    return redirect(reverse("admin:login", current_app=site.name))


@never_cache
def backup_codes(request):
    """The backup codes, shown once after they are made; a new set replaces the old one."""
    if request.method == "POST":
        request.session[BACKUP_CODES_SESSION_KEY] = twofactor.new_backup_codes(request.user)
        return redirect(request.get_full_path())
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(
        request,
        admin.site,
        "accounts/backup_codes.html",
        _("Backup codes"),
        codes=codes,
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in refused for too many failures: 429, in the admin's
    look, saying when to try again and whom to ask for an earlier unlock."""
    handler = AxesProxyHandler.get_implementation()
    until = handler.locked_until(request, credentials)
    contact = settings.SIGN_IN_HELP_CONTACT or (settings.ADMINS[0] if settings.ADMINS else "")
    if isinstance(contact, (list, tuple)):
        contact = " ".join(contact)
    response = TemplateResponse(
        request,
        "accounts/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": _("Too many failed sign-ins"),
            "until": until and timezone.localtime(until),
            "contact": contact,
        },
        status=429,
    )
    if until:
        seconds = (until - timezone.now()).total_seconds()
        response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response.render()
