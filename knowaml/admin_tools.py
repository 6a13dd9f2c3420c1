"""Admin pieces shared by every translated model."""

import copy

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .content import Status
from .languages import language_codes
from .revisions.admin_edits import LiveEditMixin
from .text import NormalisedTextField
from .translations.admin_mixin import TranslationWorkflowMixin
from .translations.filters import TranslationStatusFilter


def search_in_every_language(*fields):
    """Search every language's column, not just the editor's interface language."""
    return tuple(f"{field}_{code}" for field in fields for code in language_codes())


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review due")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 30 days")),
            ("none", _("No date set")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "soon":
            return queryset.review_due_within(30, today)
        if self.value() == "none":
            return queryset.filter(next_review__isnull=True)
        return queryset


class ScheduleFilter(admin.SimpleListFilter):
    title = _("schedule")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [("live", _("Going live")), ("down", _("Coming down"))]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(status=Status.DRAFT, go_live_at__isnull=False)
        if self.value() == "down":
            return queryset.filter(status=Status.PUBLISHED, take_down_at__isnull=False)
        return queryset


class TranslatedAdmin(
    LiveEditMixin, TranslationWorkflowMixin, SimpleHistoryAdmin, TabbedTranslationAdmin
):
    """Per-language tabs for editors, side by side for translators, with full history;
    changes to live content become revisions for review.

    Right-to-left fields are laid out right to left.
    """

    translation_filter = TranslationStatusFilter
    formfield_overrides = {models.TextField: {"form_class": NormalisedTextField}}

    def get_prepopulated_fields(self, request, obj=None):
        """Only where the user may type both the title and the slug (translators: theirs)."""
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            slug: sources
            for slug, sources in super().get_prepopulated_fields(request, obj).items()
            if slug not in readonly and not readonly.intersection(sources)
        }

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history reads the attribute, not get_prepopulated_fields().
        view = copy.copy(self)
        view.prepopulated_fields = self.get_prepopulated_fields(request)
        return super(TranslatedAdmin, view).history_form_view(
            request, object_id, version_id, extra_context
        )

    class Media:
        css = {"all": ("admin-extra/translations.css",)}
