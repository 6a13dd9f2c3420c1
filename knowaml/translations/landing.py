from django.contrib import admin
from django.shortcuts import redirect

from .roles import is_translator


def _landing(request):
    if is_translator(request.user):
        return redirect("translations:dashboard")
    return admin.site.index(request)


def translator_landing(request):
    """Translators land on their to-do list; everyone else on the admin index."""
    return admin.site.admin_view(_landing)(request)
