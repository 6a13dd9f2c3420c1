from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from knowaml.admin_tools import (
    ReviewDueFilter,
    ScheduleFilter,
    TranslatedAdmin,
    search_in_every_language,
)
from knowaml.feedback.admin import FeedbackLinkMixin
from knowaml.languages import language_codes

from . import tasks
from .models import Article, GlossaryTerm, LinkStatus, Page, Reference, Section
from .views import ArticleView, PageView


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ("order", "citation", "url", "published", "accessed", "link_report")
    readonly_fields = ("link_report",)

    @admin.display(description=_("link check"))
    def link_report(self, reference):
        if reference.pk is None or reference.link_status == LinkStatus.UNCHECKED:
            return "—"
        label = reference.get_link_status_display()
        css = "" if reference.link_status == LinkStatus.OK else "errornote"
        when = date_format(localtime(reference.link_checked), "SHORT_DATETIME_FORMAT")
        return format_html(
            '<span class="{}">{}</span><br>{}<br><small>{}</small>',
            css,
            label,
            reference.link_note,
            when,
        )


class LinkProblemFilter(admin.SimpleListFilter):
    title = _("reference links")
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [("problems", _("Broken or moved")), ("unchecked", _("Not checked yet"))]

    def queryset(self, request, queryset):
        if self.value() == "problems":
            return queryset.filter(link_problems__gt=0)
        if self.value() == "unchecked":
            return queryset.filter(references__link_status=LinkStatus.UNCHECKED).distinct()
        return queryset


class PreviewMixin:
    """Editors see drafts as visitors will, at an admin address that is never cached."""

    page_view = None  # the public view of the model's pages

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_preview"
        preview = self.admin_site.admin_view(require_safe(self.preview_view))
        return [path("<int:object_id>/preview/", preview, name=name), *super().get_urls()]

    def preview_view(self, request, object_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            return TemplateResponse(request, "admin/404.html", status=403)
        language = request.GET.get("language")
        if language not in language_codes():
            language = translation.get_language()
        with translation.override(language):
            return self.page_view.for_object(request, obj).preview()

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))


class HealthPageAdmin(FeedbackLinkMixin, PreviewMixin, TranslatedAdmin):
    list_display = ("__str__", "status", "updated", "next_review", "preview_link")
    list_filter = ("status", ReviewDueFilter, ScheduleFilter, TranslatedAdmin.translation_filter)
    search_fields = search_in_every_language("title", "summary", "body")
    readonly_fields = ("preview_link", "visitor_feedback")
    prepopulated_fields = {"slug": ("title",)}
    schedule_fields = (_("Schedule"), {"fields": ("go_live_at", "take_down_at")})
    review_fields = (_("Review"), {"fields": ("clinical_review", "next_review")})

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "clinical_review")

    @admin.display(description=_("last clinical review"))
    def clinical_review(self, obj):
        """Written by approving a clinical revision, never typed."""
        if obj is None or obj.last_reviewed is None:
            return _("Not yet clinically reviewed")
        role = obj.value_in("reviewer_role", "en")
        return format_html(
            "{} — {}{}",
            date_format(obj.last_reviewed, "DATE_FORMAT"),
            obj.reviewer_name,
            f", {role}" if role else "",
        )


@admin.register(Article)
class ArticleAdmin(HealthPageAdmin):
    page_view = ArticleView
    list_display = (
        "__str__",
        "section",
        "order",
        "status",
        "updated",
        "next_review",
        "preview_link",
    )
    list_editable = ("order",)
    list_filter = (
        "section",
        "status",
        ReviewDueFilter,
        ScheduleFilter,
        LinkProblemFilter,
        TranslatedAdmin.translation_filter,
    )
    list_select_related = ("section",)
    ordering = ("section__order", "order", "pk")
    inlines = [ReferenceInline]
    actions = ["check_reference_links"]

    def get_queryset(self, request):
        problems = Q(references__link_status__in=[LinkStatus.BROKEN, LinkStatus.MOVED])
        return (
            super()
            .get_queryset(request)
            .annotate(link_problems=Count("references", filter=problems))
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "link_problem_count")

    @admin.display(description=_("link problems"), ordering="link_problems")
    def link_problem_count(self, obj):
        return obj.link_problems or "—"

    # The check writes each reference's link status, so it is for those who may change them.
    @admin.action(
        description=_("Check reference links of the selected articles"), permissions=["change"]
    )
    def check_reference_links(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        transaction.on_commit(lambda: tasks.check_reference_links.enqueue(ids))
        self.message_user(
            request,
            _("Checking the links of %(count)d articles; results appear on each article.")
            % {"count": len(ids)},
        )

    fieldsets = (
        (None, {"fields": ("section", "order", "status", "preview_link", "visitor_feedback")}),
        (_("Text"), {"fields": ("title", "slug", "summary", "body")}),
        HealthPageAdmin.review_fields,
        (_("Dates"), {"fields": ("published", "updated")}),
        HealthPageAdmin.schedule_fields,
        (
            _("Explainer video"),
            {"fields": ("video_url", "video_file", "video_title", "video_captions", "transcript")},
        ),
    )


@admin.register(Page)
class PageAdmin(HealthPageAdmin):
    page_view = PageView
    list_display = ("__str__", "order", "status", "updated", "next_review", "preview_link")
    list_editable = ("order",)
    fieldsets = (
        (None, {"fields": ("order", "status", "preview_link", "visitor_feedback")}),
        (_("Text"), {"fields": ("title", "slug", "summary", "body")}),
        HealthPageAdmin.review_fields,
        (_("Dates"), {"fields": ("published", "updated")}),
        HealthPageAdmin.schedule_fields,
    )


@admin.register(Section)
class SectionAdmin(TranslatedAdmin):
    list_display = ("__str__", "order")
    list_editable = ("order",)
    list_filter = (TranslatedAdmin.translation_filter,)
    search_fields = search_in_every_language("title", "summary")
    fields = ("title", "slug", "summary", "intro", "order")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslatedAdmin):
    list_display = ("__str__",)
    list_filter = (TranslatedAdmin.translation_filter,)
    search_fields = search_in_every_language("term", "definition", "also_matches")
    fields = ("term", "slug", "definition", "also_matches")
    prepopulated_fields = {"slug": ("term",)}
