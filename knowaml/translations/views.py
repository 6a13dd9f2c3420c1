import secrets
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _

from .exchange import count_units, export_po, import_po
from .registry import target_languages, translatable_models
from .roles import is_translator, languages_for
from .status import MISSING, NEEDS_UPDATE, TRANSLATED, records_by_object, status_of

TODO_LIMIT = 50
SHOWN_CHARS = 200  # of each text in the import report


def working_languages(user):
    return [code for code in target_languages() if code in languages_for(user)]


def changelist_url(model, query=""):
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def change_url(obj):
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def language_overview(language):
    rows, todo = [], []
    for model in translatable_models():
        objects = list(model._base_manager.all())
        records = records_by_object(model, [o.pk for o in objects], language)
        counts = {TRANSLATED: 0, MISSING: 0, NEEDS_UPDATE: 0}
        for obj in objects:
            state = status_of(obj, language, records.get(obj.pk, {})).state
            counts[state] += 1
            if state != TRANSLATED and len(todo) < TODO_LIMIT:
                todo.append(
                    {
                        "object": obj,
                        "state": state,
                        "url": change_url(obj),
                        "kind": model._meta.verbose_name,
                    }
                )
        cells = [
            {
                "state": state,
                "count": count,
                "url": changelist_url(model, f"translation={state}:{language}"),
            }
            for state, count in counts.items()
        ]
        rows.append({"kind": model._meta.verbose_name_plural, "cells": cells})
    return rows, todo


def dashboard(request):
    languages = working_languages(request.user)
    if not languages:
        raise PermissionDenied
    overview = []
    for code in languages:
        rows, todo = language_overview(code)
        overview.append(
            {
                "code": code,
                "name": get_language_info(code)["name_translated"],
                "rows": rows,
                "todo": todo,
            }
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Translation dashboard"),
        "overview": overview,
        "is_translator": is_translator(request.user),
    }
    return TemplateResponse(request, "admin/translations/dashboard.html", context)


def export(request, language):
    if language not in working_languages(request.user):
        raise PermissionDenied
    po = export_po(language)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(str(po), content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="knowaml-{language}-{stamp}.po"'
    return response


class ImportForm(forms.Form):
    """One import is checked and applied within a request, so its size is bounded."""

    file = forms.FileField(label=_("Translated PO file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        max_bytes = getattr(settings, "TRANSLATION_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
        if upload.size > max_bytes:
            raise forms.ValidationError(
                _(
                    "This file is %(size)s. The limit for one import is %(limit)s; split the "
                    "file and import the parts one after another."
                ),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
                code="too_large",
            )
        try:
            content = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file must be UTF-8 text.")) from error
        max_units = getattr(settings, "TRANSLATION_IMPORT_MAX_UNITS", 50_000)
        units = count_units(content)
        if units > max_units:
            raise forms.ValidationError(
                ngettext(
                    "This file has %(count)s unit. The limit for one import is %(limit)s; "
                    "split the file and import the parts one after another.",
                    "This file has %(count)s units. The limit for one import is %(limit)s; "
                    "split the file and import the parts one after another.",
                    units,
                ),
                params={
                    "count": number_format(units, force_grouping=True),
                    "limit": number_format(max_units, force_grouping=True),
                },
                code="too_many_units",
            )
        return content


RESULT_KEY = "translation_import_result"
RESULT_CHANGES_SHOWN = 500


def result_for_session(report):
    """What an applied import did, small enough for the session: the texts shortened as the
    page shows them, the list cut after the first few hundred changes."""

    def short(text):
        return Truncator(text).chars(SHOWN_CHARS)

    changes = [
        {**change, "old": short(change["old"]), "new": short(change["new"])}
        for change in report.changes[:RESULT_CHANGES_SHOWN]
    ]
    rejected = [{"unit": str(r["unit"]), "reason": str(r["reason"])} for r in report.rejected]
    return {
        "changes": changes,
        "changed": len(report.changes),
        "rejected": rejected,
        "unchanged": report.unchanged,
        "applied": report.applied,
    }


def import_view(request, language):
    if language not in working_languages(request.user):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Import %(language)s translations")
        % {"language": get_language_info(language)["name_translated"]},
        "language": language,
    }
    form = ImportForm()
    result = request.session.pop(RESULT_KEY, None) if request.method == "GET" else None
    if result and result.pop("language") == language:
        context.update(report=SimpleNamespace(**result), tried_to_apply=True)
    # The checked file waits in the editor's session (the database), so "apply" works on
    # whichever server process answers it.
    uploads = request.session.setdefault("translation_uploads", {})
    if request.method == "POST" and request.POST.get("upload"):
        content = uploads.pop(f"{language}:{request.POST['upload']}", None)
        request.session.modified = True
        if content is None:
            messages.error(request, _("That checked file has expired. Please upload it again."))
            return redirect("translations:import", language=language)
        # Post/redirect/get: reloading the result must not offer, or send, the file again.
        report = import_po(content, language, apply=True)
        request.session[RESULT_KEY] = {"language": language, **result_for_session(report)}
        return redirect("translations:import", language=language)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"]
            report = import_po(content, language, apply=False)
            token = secrets.token_urlsafe(16)
            uploads.clear()  # one checked file at a time per editor
            uploads[f"{language}:{token}"] = content
            request.session.modified = True
            context.update(report=report, upload=token)
    context["form"] = form
    return TemplateResponse(request, "admin/translations/import.html", context)
