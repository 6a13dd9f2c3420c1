"""Admin saves of live content: visitor-facing changes become revisions for review.

Structural fields (order, section, schedule and review-due dates, taking a page down) still
apply at once; drafts are edited directly, but publishing one is a revision for review too.
"""

from django import forms
from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..content import Status
from ..languages import SOURCE_LANGUAGE
from . import references, workflow
from .review_only_views import record_review_links


def revision_url(revision):
    return reverse("admin:revisions_revision_change", args=[revision.pk])


def pending_value(obj, name, author):
    """What ``author``'s editable revision proposes for ``name``, else the live value: the
    form shows the live value, so its changes are applied to what the author proposes."""
    revision = (
        workflow.open_revisions(obj)
        .filter(author=author, language=SOURCE_LANGUAGE, state__in=workflow.EDITABLE_STATES)
        .first()
    )
    if revision is not None and name in revision.values:
        return revision.values[name]
    return workflow.current_value(workflow.live_row(obj), name)


def own_revisions(obj, user):
    """``user``'s revisions of ``obj`` that they may still edit (draft, changes requested)."""
    if obj is None or obj.pk is None or not workflow.is_reviewed_model(type(obj)):
        return []
    return list(
        workflow.open_revisions(obj)
        .filter(author=user, state__in=workflow.EDITABLE_STATES)
        .order_by("pk")
    )


def proposed_initial(revisions, form_fields):
    """The form's starting values: what the author's revisions propose (files and lists are
    shown as they are live; the author's uploads stay in the revision)."""
    return {
        name: value
        for revision in revisions
        for name, value in revision.values.items()
        if name in form_fields
        and not isinstance(form_fields[name], forms.FileField)
        and not isinstance(value, list)
    }


class LiveEditMixin:
    """For ModelAdmins of reviewed content; before SimpleHistoryAdmin, whose revert uses it."""

    def get_form(self, request, obj=None, **kwargs):
        """A live page's form starts from the author's own open revision, so that editing
        again (answering a reviewer) changes the revision rather than starting afresh."""
        form = super().get_form(request, obj, **kwargs)
        if obj is None or not workflow.is_live(obj):
            return form
        initial = proposed_initial(own_revisions(obj, request.user), form.base_fields)
        if not initial:
            return form

        class RevisionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        RevisionForm.__name__ = form.__name__
        return RevisionForm

    def revision_upload(self, obj, name, file):
        """Store a new upload now, so that the revision can name it; return its name."""
        file.save(file.name, file.file, save=False)
        return file.name

    def save_model(self, request, obj, form, change):
        request._revisions = []
        request._publishing = False
        request._was_live = change and workflow.is_live(obj)
        if not workflow.is_reviewed_model(type(obj)):
            return super().save_model(request, obj, form, change)
        if not request._was_live:
            return self.save_draft(request, obj, form, change)
        live = workflow.live_row(obj)
        proposed = {}
        for name in workflow.content_columns(type(obj)):
            new, old = getattr(obj, name), getattr(live, name)
            if isinstance(new, FieldFile):
                if new and not new._committed:
                    proposed[name] = self.revision_upload(obj, name, new)
                elif (new.name or "") != (old.name or ""):
                    proposed[name] = new.name or ""
                setattr(obj, name, old.name)
            else:
                if workflow.stored(new) != workflow.stored(old):
                    proposed[name] = new
                setattr(obj, name, old)
        by_language = {}
        for name, value in proposed.items():
            language = workflow.language_of(name)
            by_language.setdefault(language, {})[name] = value
        for language, values in by_language.items():
            revision = workflow.propose(obj, values, request.user, language=language)
            if revision is not None:
                request._revisions.append(revision)
        if self.structural_change(obj, live):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """A live page's reviewed list (its references) changes through its revision too."""
        obj = form.instance
        name = formset.get_default_prefix()
        if name not in workflow.related_lists(type(obj)):
            return super().save_formset(request, form, formset, change)
        if not getattr(request, "_was_live", False):
            if change and formset.has_changed():
                workflow.reopen_scheduled(obj, request.user)
            return super().save_formset(request, form, formset, change)
        # Nothing is saved now; the change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return
        base = pending_value(obj, name, request.user)
        items = references.from_formset(formset, base)
        revision = workflow.propose(obj, {name: items}, request.user, language=SOURCE_LANGUAGE)
        if revision is not None and revision.pk not in {r.pk for r in request._revisions}:
            request._revisions.append(revision)

    def save_draft(self, request, obj, form, change):
        """Drafts are edited directly; publishing one waits for someone else's approval."""
        publishing = getattr(obj, "status", None) == Status.PUBLISHED
        if publishing:
            obj.status = workflow.live_row(obj).status if change else Status.DRAFT
        if change and self.content_changed(obj):
            workflow.reopen_scheduled(obj, request.user)
        super().save_model(request, obj, form, change)
        if publishing:
            request._publishing = True
            request._revisions.append(workflow.propose_publish(obj, request.user))

    def content_changed(self, obj):
        live = workflow.live_row(obj)
        return any(
            workflow.stored(getattr(obj, name)) != workflow.stored(getattr(live, name))
            for name in workflow.content_columns(type(obj))
        )

    def structural_change(self, obj, live):
        return any(
            field.value_from_object(obj) != field.value_from_object(live)
            for field in obj._meta.concrete_fields
            if not field.primary_key
        )

    def response_add(self, request, obj, post_url_continue=None):
        if not getattr(request, "_revisions", []):
            return super().response_add(request, obj, post_url_continue)
        return self.revisions_response(request, obj)

    def response_change(self, request, obj):
        if not getattr(request, "_revisions", []):
            return super().response_change(request, obj)
        return self.revisions_response(request, obj)

    def revisions_response(self, request, obj):
        revisions = request._revisions
        if request._publishing:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "“%(object)s” was saved as a draft. It goes live only once someone "
                        "else, a clinical reviewer, approves its publication."
                    )
                    % {"object": obj},
                    revision_url(revisions[0]),
                    _("Submit it for review"),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(revision_url(revisions[0]))
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((revision_url(r), r.language_name) for r in revisions),
        )
        self.message_user(
            request,
            format_html(
                "{} {}",
                _(
                    "“%(object)s” is live, so your change was saved as a revision; visitors "
                    "see the live version until someone else approves it. Submit it for "
                    "review:"
                )
                % {"object": obj},
                links,
            ),
            messages.SUCCESS,
        )
        if len(revisions) == 1:
            return HttpResponseRedirect(revision_url(revisions[0]))
        opts = obj._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def revisions_context(self, request, obj):
        if obj is None or obj.pk is None or not workflow.is_reviewed_model(type(obj)):
            return {}
        revisions = list(
            workflow.open_revisions(obj).select_related("author").order_by("-updated_at")
        )
        live = workflow.is_live(obj)
        return {
            "is_live": live,
            "form_shows_revision": live and bool(own_revisions(obj, request.user)),
            "open_revisions": [
                {"revision": revision, "url": revision_url(revision)} for revision in revisions
            ],
            "record_reviews": record_review_links(request.user, obj),
        }
