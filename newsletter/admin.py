import csv

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from knowaml.admin_tools import TranslatedAdmin, search_in_every_language
from knowaml.languages import language_codes

from .emails import Edition
from .models import Delivery, Issue, Subscriber, SubscriberAudit
from .sending import audience
from .subscriptions import queue_issue

CSV_FIELDS = (
    "email",
    "language",
    "status",
    "created",
    "confirmed_at",
    "left_at",
    "consent_at",
    "consent_page",
    "consent_wording",
)
SENT_ALREADY = _(
    "This issue has already been sent, so it was not sent again: it would reach everyone "
    "who subscribed since. To reach them, create a new issue."
)
# The preview is the email itself: inline styles allowed, scripts never.
EMAIL_PREVIEW_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "sandbox": True,
}


def spreadsheet_safe(value):
    """Stop a spreadsheet from reading a subscriber-typed value as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def is_confirmed(request):
    return request.method == "POST" and request.POST.get("confirm") == "send"


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "status", "created", "confirmed_at")
    list_filter = ("status", "language")
    search_fields = ("email",)
    date_hierarchy = "created"
    actions = ("export_csv", "mark_bounced", "erase")
    readonly_fields = (
        "email",
        "status",
        "token",
        "created",
        "confirmation_sent_at",
        "confirmed_at",
        "left_at",
        "consent_at",
        "consent_page",
        "consent_wording",
    )
    fields = ("email", "language", *readonly_fields[1:])

    def has_add_permission(self, request):
        return False  # people subscribe themselves: double opt-in is the only way in

    def has_delete_permission(self, request, obj=None):
        return False  # "Erase" removes the personal data, keeps the counts and is audited

    def has_export_permission(self, request):
        return request.user.has_perm("newsletter.export_subscribers")

    def has_erase_permission(self, request):
        return request.user.has_perm("newsletter.erase_subscribers")

    @admin.action(description=_("Export selected subscribers as CSV"), permissions=["export"])
    def export_csv(self, request, queryset):
        rows = list(queryset.values_list(*CSV_FIELDS))
        SubscriberAudit.record(request.user, SubscriberAudit.Action.EXPORT, len(rows))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(CSV_FIELDS)
        for row in rows:
            writer.writerow([spreadsheet_safe(value) for value in row])
        return response

    @admin.action(
        description=_("Mark selected as bounced (stop sending to them)"), permissions=["change"]
    )
    def mark_bounced(self, request, queryset):
        chosen = queryset.exclude(status=Subscriber.Status.ERASED)
        for subscriber in chosen:
            subscriber.leave(Subscriber.Status.BOUNCED)
        self.message_user(request, _("%(count)d marked as bounced.") % {"count": len(chosen)})

    @admin.action(
        description=_("Erase selected (remove personal data, keep counts)"),
        permissions=["erase"],
    )
    def erase(self, request, queryset):
        chosen = queryset.exclude(status=Subscriber.Status.ERASED)
        with transaction.atomic():
            for subscriber in chosen:
                subscriber.leave(Subscriber.Status.ERASED)
            SubscriberAudit.record(request.user, SubscriberAudit.Action.ERASE, len(chosen))
        self.message_user(request, _("%(count)d erased.") % {"count": len(chosen)})


@admin.register(SubscriberAudit)
class SubscriberAuditAdmin(admin.ModelAdmin):
    """Read-only: the record of exports and erasures is never edited or deleted."""

    list_display = ("created", "username", "action", "count")
    list_filter = ("action",)
    date_hierarchy = "created"
    fields = ("created", "username", "user", "action", "count")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(TranslatedAdmin):
    list_display = ("__str__", "status", "sent", "failed", "pending", "in_doubt", "created")
    list_filter = ("status", TranslatedAdmin.translation_filter)
    search_fields = search_in_every_language("subject", "body")
    fields = ("subject", "body", "status", "send_requested_at", "finished_at", "progress")
    readonly_fields = ("status", "send_requested_at", "finished_at", "progress")
    change_form_template = "admin/newsletter/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    def _count(self, obj, state):
        value = getattr(obj, f"{state}_count", None)
        return obj.progress()[state] if value is None else value

    @admin.display(description=_("sent"))
    def sent(self, obj):
        return self._count(obj, Delivery.Status.SENT)

    @admin.display(description=_("failed"))
    def failed(self, obj):
        return self._count(obj, Delivery.Status.FAILED)

    @admin.display(description=_("pending"))
    def pending(self, obj):
        return self._count(obj, Delivery.Status.PENDING) + self._count(obj, Delivery.Status.SENDING)

    @admin.display(description=_("in doubt"))
    def in_doubt(self, obj):
        count = self._count(obj, Delivery.Status.IN_DOUBT)
        if not count:
            return 0
        url = reverse("admin:newsletter_delivery_changelist")
        return format_html(
            '<a href="{}?issue__id__exact={}&status__exact=in_doubt">{}</a>', url, obj.pk, count
        )

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        counts = obj.progress()
        labels = dict(Delivery.Status.choices)
        return ", ".join(f"{labels[state]}: {counts[state]}" for state in labels)

    def get_urls(self):
        view = self.admin_site.admin_view
        preview = require_safe(csp_override(EMAIL_PREVIEW_CSP)(self.preview_view))
        return [
            path(
                "<int:object_id>/preview/<str:language>/",
                view(preview),
                name="newsletter_issue_preview",
            ),
            path(
                "<int:object_id>/test-send/",
                view(self.test_send_view),
                name="newsletter_issue_test_send",
            ),
            path("<int:object_id>/send/", view(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]

    def has_send_permission(self, request):
        return request.user.has_perm("newsletter.send_issue")

    def may_send(self, request, issue):
        """Sending (and test-sending) needs its own permission ("Newsletter senders").

        The translator mixin grants translators change permission on each issue so they
        can write their own language; that must not let them mail every subscriber.
        """
        return self.has_send_permission(request) and self.has_view_permission(request, issue)

    @staticmethod
    def is_sendable(issue):
        """A draft, or a send that stopped half-way. A sent issue is never sent again:
        it would go to everyone who subscribed since."""
        return issue.status in {Issue.Status.DRAFT, Issue.Status.SENDING}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id) if object_id else None
        may_send = issue is not None and self.may_send(request, issue)
        extra_context = {
            **(extra_context or {}),
            "preview_languages": language_codes(),
            "may_test_send": may_send,
            "may_send": may_send and self.is_sendable(issue),
            "receiving_count": sum(n for _code, n in audience(issue)) if may_send else 0,
            "test_languages": settings.LANGUAGES,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _sample_message(self, request, issue, language):
        # An unsaved reader for the preview; its token is a placeholder, not a secret.
        sample = Subscriber(
            email=request.user.email or "editor@example.invalid",
            language=language,
            token="preview",  # noqa: S106
        )
        with translation.override(language):
            return Edition(issue, language).message(sample)

    def preview_view(self, request, object_id, language):
        issue = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        if language not in language_codes():
            return HttpResponse(status=404)
        message = self._sample_message(request, issue, language)
        if request.GET.get("part") == "text":
            response = HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(message.alternatives[0].content)
        response["Cache-Control"] = "private, no-store"
        return response

    def test_send_view(self, request, object_id):
        issue = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:newsletter_issue_change", args=[issue.pk])
        if not self.may_send(request, issue):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(change_url)
        if not request.user.email:
            self.message_user(
                request, _("Add an email address to your user account first."), messages.ERROR
            )
            return redirect(change_url)
        language = request.POST.get("language", "en")
        language = language if language in language_codes() else "en"
        message = self._sample_message(request, issue, language)
        message.subject = f"[TEST] {message.subject}"
        message.send(using=settings.NEWSLETTER_MAILER)
        self.message_user(
            request, _("Test sent to %(email)s.") % {"email": request.user.email}, messages.SUCCESS
        )
        return redirect(change_url)

    def send_view(self, request, object_id):
        issue = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:newsletter_issue_change", args=[issue.pk])
        if not self.may_send(request, issue):
            raise PermissionDenied
        if not self.is_sendable(issue):
            self.message_user(request, SENT_ALREADY, messages.ERROR)
            return redirect(change_url)
        if not is_confirmed(request):
            return self.confirm_send(request, [issue], cancel_url=change_url)
        queue_issue(issue)
        self.message_user(
            request, _("Sending has been queued. Progress shows here."), messages.SUCCESS
        )
        return redirect(change_url)

    def confirm_send(self, request, issues, cancel_url, action=None, selected=()):
        """Nothing is sent until the editor has seen who will receive it and said yes."""
        readers = []
        for issue in issues:
            counts = audience(issue)
            names = dict(settings.LANGUAGES)
            languages = [
                {
                    "name": names[code],
                    "count": count,
                    "fallback": not issue.is_translated_into(code),
                }
                for code, count in counts
            ]
            total = sum(count for _code, count in counts)
            readers.append({"issue": issue, "languages": languages, "total": total})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Send this issue?"),
            "readers": readers,
            "cancel_url": cancel_url,
            "action": action,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        template = "admin/newsletter/issue/send_confirmation.html"
        return TemplateResponse(request, template, context)

    @admin.action(description=_("Send (or resume sending) selected issues"), permissions=["send"])
    def send_issues(self, request, queryset):
        chosen = [issue for issue in queryset if self.may_send(request, issue)]
        if len(chosen) < len(queryset):
            raise PermissionDenied
        sendable = [issue for issue in chosen if self.is_sendable(issue)]
        if sendable and not is_confirmed(request):
            cancel_url = reverse("admin:newsletter_issue_changelist")
            return self.confirm_send(
                request,
                sendable,
                cancel_url,
                action="send_issues",
                selected=[issue.pk for issue in chosen],
            )
        for issue in sendable:
            queue_issue(issue)
        count = len(sendable)
        self.message_user(
            request,
            ngettext("%(count)d issue queued.", "%(count)d issues queued.", count)
            % {"count": count},
        )
        if skipped := len(chosen) - len(sendable):
            self.message_user(
                request,
                ngettext(
                    "%(count)d issue had already been sent and was not sent again.",
                    "%(count)d issues had already been sent and were not sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    actions = ("send_issues",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("issue", "subscriber", "status", "language", "claimed_at", "finished_at")
    list_filter = ("status", "issue")
    list_select_related = ("issue", "subscriber")
    search_fields = ("subscriber__email",)
    readonly_fields = (
        "issue",
        "subscriber",
        "status",
        "language",
        "run",
        "claimed_at",
        "finished_at",
        "error",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
