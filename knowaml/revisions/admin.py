from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..languages import SOURCE_LANGUAGE, language_codes
from ..translations.registry import target_languages
from ..translations.roles import can_review, languages_for
from . import references, review_only_views, workflow
from .models import Revision


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, get_language_info(code)["name_translated"]) for code in language_codes()]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class MineFilter(admin.SimpleListFilter):
    title = _("for me")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [
            ("to-review", _("Waiting for my review")),
            ("changes-requested", _("My revisions with changes requested")),
            ("authored", _("All my revisions")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "to-review":
            return queryset.filter(pk__in=workflow.waiting_for(request.user).values("pk"))
        if self.value() == "changes-requested":
            return queryset.filter(author=request.user, state=Revision.State.CHANGES_REQUESTED)
        if self.value() == "authored":
            return queryset.filter(author=request.user)
        return queryset


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of change is it?"),
        choices=Revision.Kind.choices,
        widget=forms.RadioSelect,
        initial=Revision.Kind.CLINICAL,
        help_text=_(
            "A minor change (a typo, a link) can be approved by a second editor and does not "
            "change “Last reviewed”. Anything about health or treatment is clinical."
        ),
    )


class ApproveForm(forms.Form):
    role = forms.CharField(
        label=_("Your role, as shown to visitors"),
        max_length=200,
        required=False,
        help_text=_("For example: Consultant haematologist."),
    )


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what needs to change: a comment is required.")},
    )


FORMS = {
    "submit": SubmitForm,
    "approve": ApproveForm,
    "request-changes": RequestChangesForm,
    "discard": forms.Form,
}


def field_label(model, name):
    base, _sep, code = name.rpartition("_")
    if code in language_codes():
        label = model._meta.get_field(base).verbose_name
        return f"{str(label).capitalize()} [{code}]"
    field = model._meta.get_field(name)
    if field.one_to_many:
        return str(field.related_model._meta.verbose_name_plural).capitalize()
    return str(field.verbose_name).capitalize()


def compared(model, name, value):
    """A proposed or live value as the review page compares it: a list as lines of text, a
    choice by its label."""
    if name == references.NAME:
        return references.as_text(value)
    choices = dict(model._meta.get_field(name).flatchoices)
    return str(choices.get(value, value)) if choices else value


def isolated(obj):
    """A page's name inside a sentence, kept in its own direction (an English title ending
    in "?" in an Arabic sentence)."""
    return f"\u2068{obj}\u2069"


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "content_type", "language", "kind", "state", "author", "updated_at")
    list_filter = (MineFilter, "state", "kind", LanguageFilter, "content_type")
    list_select_related = ("author", "content_type")
    ordering = ("-updated_at", "-pk")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def language_worker(self, user):
        """Translators and translation reviewers see their languages' revisions only."""
        return not user.has_perm("revisions.view_revision") and not any(
            user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
            for m in workflow.REVIEWED_MODELS
        )

    def worker_languages(self, user):
        reviewing = [code for code in target_languages() if can_review(user, code)]
        return {*languages_for(user), *reviewing}

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if not self.language_worker(user):
            return True
        languages = self.worker_languages(user)
        if obj is None:
            return bool(languages)
        return obj.language in languages or obj.author_id == user.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("content_object")
        user = request.user
        if self.language_worker(user):
            languages = self.worker_languages(user)
            return queryset.filter(Q(language__in=languages) | Q(author=user))
        return queryset

    def get_urls(self):
        action = self.admin_site.admin_view(require_POST(self.action_view))
        record_review = self.admin_site.admin_view(self.record_review_view)
        return [
            path(
                "record-review/<int:content_type_id>/<int:object_id>/<str:language>/",
                record_review,
                name="revisions_record_review",
            ),
            path(
                "<int:object_id>/review/<slug:action>/",
                action,
                name="revisions_revision_action",
            ),
            *super().get_urls(),
        ]

    def record_review_view(self, request, content_type_id, object_id, language):
        return review_only_views.record_review_view(
            request, self.admin_site, content_type_id, object_id, language
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.visible_revision(request, object_id)
        return self.review_page(request, revision)

    def visible_revision(self, request, object_id):
        revision = get_object_or_404(Revision, pk=object_id)
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        return revision

    def action_view(self, request, object_id, action):
        revision = self.visible_revision(request, object_id)
        if action not in FORMS:
            raise PermissionDenied
        workflow.check_may(revision, request.user, action)
        form = FORMS[action](request.POST)
        if form.is_valid():
            try:
                self.carry_out(request, revision, action, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(
                    reverse("admin:revisions_revision_change", args=[revision.pk])
                )
        revision.refresh_from_db()
        return self.review_page(request, revision, {action: form}, status=400)

    def carry_out(self, request, revision, action, data):
        user = request.user
        if action == "submit":
            workflow.submit(revision, user, kind=data["kind"])
            message = _("Submitted for review. The reviewers have been told by email.")
        elif action == "approve":
            revision = workflow.approve(revision, user, role=data["role"])
            message = _("Approved: the change is now live.")
            if revision.state == Revision.State.SCHEDULED:
                message = _("Approved: the page goes live at its scheduled time.")
        elif action == "request-changes":
            workflow.request_changes(revision, user, data["comment"])
            message = _("Changes requested: the author sees your comment.")
        else:
            workflow.discard(revision, user)
            message = _("Revision discarded.")
        self.message_user(request, message, messages.SUCCESS)

    def default_role(self, user, revision):
        last = (
            Revision.objects.filter(decided_by=user, state=Revision.State.APPROVED)
            .exclude(reviewer_role="")
            .order_by("-decided_at")
            .values_list("reviewer_role", flat=True)
            .first()
        )
        if last:
            return last
        if revision.language != SOURCE_LANGUAGE:
            return _("Translation reviewer")
        return _("Clinical reviewer") if revision.kind == Revision.Kind.CLINICAL else _("Editor")

    def review_page(self, request, revision, forms_given=None, status=200):
        user = request.user
        obj = revision.content_object
        model = revision.content_type.model_class()
        open_state = revision.state in workflow.EDITABLE_STATES
        is_author = revision.author_id == user.pk
        can_decide = (
            revision.state == Revision.State.SUBMITTED
            and not is_author
            and workflow.may_approve(user, revision)
        )
        current = {}
        if obj is not None:
            current = {name: workflow.current_value(obj, name) for name in revision.values}
        changes = [
            {
                "label": field_label(model, name),
                "lang": workflow.language_of(name),
                "old": compared(model, name, current.get(name, revision.live_values.get(name, ""))),
                "new": compared(model, name, value),
                "text": isinstance(compared(model, name, value), str),
                "live_moved": name in current
                and current[name] != revision.live_values.get(name, current[name]),
            }
            for name, value in revision.values.items()
        ]
        forms_given = forms_given or {}
        opts = model._meta
        object_url = preview_url = None
        if obj is not None:
            object_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            try:
                preview_url = reverse("revisions:preview", args=[revision.pk])
            except NoReverseMatch:
                preview_url = None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Revision of “%(object)s”") % {"object": isolated(obj) if obj else "—"},
            "revision": revision,
            "object": obj,
            "object_url": object_url,
            "preview_url": preview_url,
            "changes": changes,
            "can_submit": is_author and open_state,
            "can_discard": (is_author or user.is_superuser)
            and revision.state in workflow.OPEN_STATES,
            "can_decide": can_decide,
            "submit_form": forms_given.get("submit") or SubmitForm(initial={"kind": revision.kind}),
            "approve_form": forms_given.get("approve")
            or ApproveForm(initial={"role": self.default_role(user, revision)}),
            "request_form": forms_given.get("request-changes") or RequestChangesForm(),
            "discard_form": forms_given.get("discard"),
            "is_author": is_author,
            "is_publish": workflow.is_publish(revision),
            "publish_pending": workflow.is_publish(revision)
            and revision.state in workflow.OPEN_STATES,
            "go_live_at": obj is not None and workflow.scheduled_publication(obj),
            "action_errors": [
                error for form in forms_given.values() for error in form.non_field_errors()
            ],
        }
        return TemplateResponse(request, "admin/revisions/review.html", context, status=status)
