from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowaml.admin_tools import ReviewDueFilter, TranslatedAdmin, search_in_every_language
from knowaml.languages import language_codes

from .models import Article, GlossaryTerm, Page, Reference, Section
from .views import article_context


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ("order", "citation", "url", "published", "accessed")


class PreviewMixin:
    """Editors see drafts as visitors will, at an admin address that is never cached."""

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_preview"
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:object_id>/preview/", preview, name=name), *super().get_urls()]

    def preview_view(self, request, object_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            return TemplateResponse(request, "admin/404.html", status=403)
        language = request.GET.get("language")
        if language not in language_codes():
            language = translation.get_language()
        with translation.override(language):
            context = {**article_context(obj), "is_preview": True, "language_links": []}
            response = TemplateResponse(request, "education/article.html", context)
            response.render()
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))


class HealthPageAdmin(PreviewMixin, TranslatedAdmin):
    list_display = ("__str__", "status", "updated", "next_review", "preview_link")
    list_filter = ("status", ReviewDueFilter, TranslatedAdmin.translation_filter)
    search_fields = search_in_every_language("title", "summary", "body")
    readonly_fields = ("preview_link",)
    review_fields = (
        _("Review"),
        {"fields": ("last_reviewed", "next_review", "reviewer_name", "reviewer_role")},
    )


@admin.register(Article)
class ArticleAdmin(HealthPageAdmin):
    list_display = ("__str__", "section", "order", "status", "updated", "next_review",
                    "preview_link")  # fmt: skip
    list_editable = ("order",)
    list_filter = ("section", "status", ReviewDueFilter, TranslatedAdmin.translation_filter)
    list_select_related = ("section",)
    ordering = ("section__order", "order", "pk")
    inlines = [ReferenceInline]
    fieldsets = (
        (None, {"fields": ("section", "order", "status", "preview_link")}),
        (_("Text"), {"fields": ("title", "slug", "summary", "body")}),
        HealthPageAdmin.review_fields,
        (_("Dates"), {"fields": ("published", "updated")}),
        (_("Explainer video"), {"fields": ("video_url", "video_title", "transcript")}),
    )


@admin.register(Page)
class PageAdmin(HealthPageAdmin):
    list_display = ("__str__", "order", "status", "updated", "next_review", "preview_link")
    list_editable = ("order",)
    fieldsets = (
        (None, {"fields": ("order", "status", "preview_link")}),
        (_("Text"), {"fields": ("title", "slug", "summary", "body")}),
        HealthPageAdmin.review_fields,
        (_("Dates"), {"fields": ("published", "updated")}),
    )


@admin.register(Section)
class SectionAdmin(TranslatedAdmin):
    list_display = ("__str__", "order")
    list_editable = ("order",)
    list_filter = (TranslatedAdmin.translation_filter,)
    search_fields = search_in_every_language("title", "summary")
    fields = ("title", "slug", "summary", "intro", "order")


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslatedAdmin):
    list_display = ("__str__",)
    list_filter = (TranslatedAdmin.translation_filter,)
    search_fields = search_in_every_language("term", "definition", "also_matches")
    fields = ("term", "slug", "definition", "also_matches")
