from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Feedback, PageFeedback


def admin_change_url(content_type, object_id):
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[object_id]
        )
    except NoReverseMatch:
        return None


def feedback_list_url(content_type_id, object_id, **filters):
    query = {"content_type__id__exact": content_type_id, "object_id": object_id, **filters}
    return f"{reverse('admin:feedback_feedback_changelist')}?{urlencode(query)}"


class FeedbackLinkMixin:
    """For the admin of a kind of page: what visitors answered, linked to their answers."""

    @admin.display(description=_("visitor feedback"))
    def visitor_feedback(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        content_type = ContentType.objects.get_for_model(obj)
        counts = Feedback.objects.filter(content_type=content_type, object_id=obj.pk).aggregate(
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=Q(helpful=False)),
            comments=Count("pk", filter=~Q(comment="")),
        )
        if not counts["yes"] and not counts["no"]:
            return _("No answers yet.")
        text = _("Helpful: %(yes)d yes, %(no)d no (%(comments)d with a comment)") % counts
        return format_html('<a href="{}">{}</a>', feedback_list_url(content_type.pk, obj.pk), text)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visitors write feedback; editors read it and may delete it, never rewrite it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("created", "helpful", "page_link", "language", "short_comment")
    list_filter = ("helpful", "language", "content_type", "created")
    search_fields = ("comment", "path")
    date_hierarchy = "created"
    list_select_related = ("content_type",)
    fields = ("created", "helpful", "comment", "language", "path", "page_link")
    readonly_fields = fields

    @admin.display(description=_("page"), ordering="path")
    def page_link(self, obj):
        url = admin_change_url(obj.content_type, obj.object_id)
        if url is None:
            return obj.path
        return format_html('<a href="{}">{}</a>', url, obj.path)

    @admin.display(description=_("comment"))
    def short_comment(self, obj):
        return obj.comment if len(obj.comment) <= 120 else obj.comment[:119] + "…"


@admin.register(PageFeedback)
class PageFeedbackAdmin(ReadOnlyAdmin):
    """One row per page: how many said yes, no, and how many left a comment."""

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return TemplateResponse(request, "admin/404.html", status=403)
        rows = self.summary_rows(request.GET.get("language"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Feedback per page"),
            "rows": rows,
            "languages": Feedback._meta.get_field("language").choices,
            "language": request.GET.get("language", ""),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/feedback/page_summary.html", context)

    def summary_rows(self, language=None):
        answers = Feedback.objects.all()
        if language:
            answers = answers.filter(language=language)
        counts = (
            answers.values("content_type", "object_id")
            .annotate(
                yes=Count("pk", filter=Q(helpful=True)),
                no=Count("pk", filter=Q(helpful=False)),
                comments=Count("pk", filter=~Q(comment="")),
                latest=Max("created"),
                path=Max("path"),
            )
            .order_by("-no", "-latest")
        )
        rows = list(counts)
        pages = self.pages_by_key(rows)
        for row in rows:
            page = pages.get((row["content_type"], row["object_id"]))
            row["title"] = str(page) if page is not None else row["path"]
            row["total"] = row["yes"] + row["no"]
            row["admin_url"] = page and admin_change_url(page.content_type, page.pk)
            row["list_url"] = feedback_list_url(row["content_type"], row["object_id"])
            row["no_url"] = feedback_list_url(
                row["content_type"], row["object_id"], helpful__exact=0
            )
        return rows

    @staticmethod
    def pages_by_key(rows):
        ids = {}
        for row in rows:
            ids.setdefault(row["content_type"], set()).add(row["object_id"])
        pages = {}
        for content_type_id, object_ids in ids.items():
            content_type = ContentType.objects.get_for_id(content_type_id)
            model = content_type.model_class()
            if model is None:
                continue
            for pk, page in model._base_manager.in_bulk(object_ids).items():
                page.content_type = content_type
                pages[(content_type_id, pk)] = page
        return pages
