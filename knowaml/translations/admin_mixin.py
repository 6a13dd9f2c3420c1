"""Admin behaviour for every translatable model: translator roles, status and review."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ..languages import SOURCE_LANGUAGE
from ..plain_language import fields_for, max_reading_age, reports
from .models import TranslationRecord, source_hash
from .registry import column, target_languages, text_fields, translatable_fields
from .roles import is_translator, languages_for
from .status import NEEDS_UPDATE, records_by_object, status_of

# Set by clinical approval only (knowaml.revisions), never typed.
REVIEW_RECORD = ("last_reviewed", "reviewer_name", "reviewer_role")
# Form keys that carry no field value.
FORM_CONTROL_KEYS = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}


def source_diff(name, label, old, new):
    """One changed English field, shown word by word by admin/includes/word_diff.html."""
    return {"name": name, "field": label, "old": old or "", "new": new or ""}


class TranslationWorkflowMixin:
    change_form_template = "admin/translations/change_form.html"

    # Translators ------------------------------------------------------------

    def translator_languages(self, request):
        """The languages a translator works in, or None for editors."""
        if is_translator(request.user):
            return languages_for(request.user)
        return None

    def translator_text_fields(self):
        # The review record is written by approval only, in no language by hand.
        return [name for name in text_fields(self.model) if name not in REVIEW_RECORD]

    def translator_columns(self, languages):
        return [column(name, code) for name in self.translator_text_fields() for code in languages]

    def get_fieldsets(self, request, obj=None):
        languages = self.translator_languages(request)
        if languages is None:
            return super().get_fieldsets(request, obj)
        fieldsets = []
        for name in self.translator_text_fields():
            row = (column(name, SOURCE_LANGUAGE), *[column(name, code) for code in languages])
            label = self.model._meta.get_field(name).verbose_name.capitalize()
            fieldsets.append((label, {"fields": [row], "classes": ["side-by-side"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        languages = self.translator_languages(request)
        if languages is None:
            return super().get_readonly_fields(request, obj)
        editable = set(self.translator_columns(languages))
        originals = set(translatable_fields(self.model))
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if field.editable
            and not field.primary_key
            and field.name not in editable
            and field.name not in originals
        ]

    def get_inlines(self, request, obj):
        if self.translator_languages(request) is not None:
            return []
        return super().get_inlines(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        if self.translator_languages(request) is not None:
            return {}
        return super().get_actions(request, action_location=action_location)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_translator(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_translator(request.user)

    def has_change_permission(self, request, obj=None):
        if is_translator(request.user):
            # Object-level only: the list stays read-only (no list_editable, no bulk edits).
            return obj is not None
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return not is_translator(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return not is_translator(request.user) and super().has_delete_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        """Reverting restores every column, so it is for editors only."""
        if is_translator(request.user):
            return False
        return super().has_change_history_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a POST here for anyone who may view the history,
        # which would let a view-only account revert the object.
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied("Reverting to an earlier version needs change permission.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        languages = self.translator_languages(request)
        if languages is not None and request.method == "POST":
            allowed = set(self.translator_columns(languages)) | FORM_CONTROL_KEYS
            refused = sorted(key for key in request.POST if key not in allowed)
            if refused or object_id is None:
                raise PermissionDenied(f"Not yours to change: {', '.join(refused)}")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.translator_languages(request) is not None:
            # Side by side instead of tabs: the tabs script would hide the English source.
            context["media"] = (
                admin.ModelAdmin.media.fget(self)
                + forms.Media(css={"all": ["admin-extra/translations.css"]})
                + context["adminform"].media
            )
        if obj is not None and obj.pk:
            context["translation_statuses"] = self.translation_statuses(request, obj)
            context.update(self.plain_language_context(request, obj))
            context.update(self.revisions_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revisions_context(self, request, obj):
        return {}

    def plain_language_context(self, request, obj):
        """Scores of the saved text: a rejected POST has put the form's values on ``obj``."""
        if fields_for(self.model) is None:
            return {}
        if request.method == "POST":
            obj = self.model._default_manager.filter(pk=obj.pk).first() or obj
        return {"plain_language": reports(obj), "plain_language_max_age": max_reading_age()}

    # Status, review and "still accurate" --------------------------------------

    def translation_statuses(self, request, obj):
        writable = set(languages_for(request.user))
        statuses = []
        for code in target_languages():
            records = records_by_object(self.model, [obj.pk], code).get(obj.pk, {})
            status = status_of(obj, code, records)
            diffs = []
            if status.state == NEEDS_UPDATE:
                for name in status.stale_fields:
                    english = getattr(obj, column(name, SOURCE_LANGUAGE))
                    label = self.model._meta.get_field(name).verbose_name
                    diffs.append(source_diff(name, label, records[name].source_text, english))
            statuses.append(
                {
                    "code": code,
                    "name": get_language_info(code)["name_translated"],
                    "status": status,
                    "diffs": diffs,
                    "can_confirm": code in writable and status.state == NEEDS_UPDATE,
                }
            )
        return statuses

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view(self.translation_action_view)
        return [
            path(
                "<int:object_id>/translation/<str:language>/<str:action>/",
                view,
                name=f"{prefix}_translation_action",
            ),
            *super().get_urls(),
        ]

    def translation_action_view(self, request, object_id, language, action):
        if request.method != "POST" or language not in target_languages():
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        records = TranslationRecord.objects.for_object(obj).filter(language=language)
        now = timezone.now()
        # Reviewing a translation is approving its revision (knowaml.revisions).
        if (
            action == "confirm"
            and language in languages_for(request.user)
            and self.has_change_permission(request, obj)
        ):
            for record in records:
                english = getattr(obj, column(record.field, SOURCE_LANGUAGE)) or ""
                record.source_hash = source_hash(english)
                record.source_text = english
                record.translated_at = now
                record.translated_by = request.user
                record.reviewed_at = record.reviewed_by = None
                record.save()
            messages.success(request, _("Translation confirmed as matching the current English."))
        else:
            raise PermissionDenied
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
