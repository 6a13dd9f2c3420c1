from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "knowaml.accounts"
    label = "accounts"
    verbose_name = _("Sign-in security")
    default = True


class KnowAmlAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that asks staff for their second factor."""

    default = False
    default_site = "knowaml.accounts.sites.KnowAmlAdminSite"
