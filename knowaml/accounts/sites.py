from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode

from . import views
from .twofactor import has_device, needs_second_factor


class KnowAmlAdminSite(admin.AdminSite):
    """The admin site: a staff account that still owes its one-time code (where
    settings.REQUIRE_TWO_FACTOR) counts as not signed in, and is sent to give it, or to set
    up an authenticator if it has none."""

    def has_permission(self, request):
        return super().has_permission(request) and not needs_second_factor(request)

    def login(self, request, extra_context=None):
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if request.method == "GET" and request.user.is_authenticated:
            if needs_second_factor(request):
                return self.second_factor(request, next_url)
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            if needs_second_factor(request):
                return self.second_factor(request, next_url)
        return response

    def second_factor(self, request, next_url):
        name = "two_factor_verify" if has_device(request.user) else "two_factor_enrol"
        url = reverse(f"{self.name}:{name}", current_app=self.name)
        if next_url:
            url += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        return redirect(url)

    def get_urls(self):
        signed_in = views.password_checked(self)
        return [
            path("two-factor/", signed_in(views.verify), name="two_factor_verify"),
            path("two-factor/set-up/", signed_in(views.enrol), name="two_factor_enrol"),
            path("two-factor/sign-out/", signed_in(views.sign_out), name="two_factor_sign_out"),
            path(
                "two-factor/backup-codes/",
                self.admin_view(views.backup_codes),
                name="two_factor_backup_codes",
            ),
            *super().get_urls(),
        ]
