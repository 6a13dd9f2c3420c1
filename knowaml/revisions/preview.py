"""A revision beside the live version, changed words marked, in any of the site's languages;
and the public page as it will look once the revision is approved. Editors only, never cached.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..languages import language_bidi, language_codes, language_name_local
from ..translations.registry import text_fields
from ..worddiff import has_changes, sides, word_diff
from . import references
from .admin import isolated
from .models import Revision

# The public view of each kind of page that has one; glossary terms are shown in the diff only.
PAGE_VIEWS = {
    "education.article": "education.views.ArticleView",
    "education.page": "education.views.PageView",
    "stories.story": "stories.views.StoryView",
}
NEVER_CACHED = "private, no-store"


def page_view_for(model):
    name = PAGE_VIEWS.get(model._meta.label_lower)
    return import_string(name) if name else None


def visible_revision(request, revision_id):
    """The revision and its live object, for someone who may see the object; 404 otherwise."""
    revision = get_object_or_404(
        Revision.objects.exclude(state=Revision.State.DISCARDED).select_related("content_type"),
        pk=revision_id,
    )
    model = revision.content_type.model_class()
    if model is None:
        raise Http404
    obj = model._base_manager.filter(pk=revision.object_id).first()
    if obj is None:
        raise Http404
    model_admin = admin.site._registry.get(model)
    if model_admin is not None:
        allowed = model_admin.has_view_permission(request, obj)
    else:
        opts = model._meta
        allowed = request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    if not allowed:
        raise PermissionDenied
    return revision, obj


def proposed_copy(obj, revision):
    """An unsaved copy of ``obj`` carrying the revision's values; the live row is untouched."""
    copy = type(obj)._base_manager.get(pk=obj.pk)
    columns = {f.attname for f in type(obj)._meta.concrete_fields if not f.primary_key}
    copy._revision_columns = [name for name in revision.values if name in columns]
    for name in copy._revision_columns:
        setattr(copy, name, revision.values[name])
    copy._revision_references = revision.values.get(references.NAME)
    if copy._revision_references is not None:
        references.shown(copy, copy._revision_references)
    return copy


def chosen_language(request, revision):
    language = request.GET.get("language")
    if language in language_codes():
        return language
    return revision.language if revision.language in language_codes() else language_codes()[0]


def text_side(shown, name):
    language = shown.language
    return {
        "text": getattr(shown, name),
        "lang": language,
        "dir": "rtl" if language_bidi(language) else "ltr",
    }


def field_comparisons(obj, copy, language):
    """Each text field as visitors read it in ``language``, live and revised."""
    live, revised = obj.localized(language), copy.localized(language)
    comparisons = []
    for name in text_fields(type(obj)):
        before, after = text_side(live, name), text_side(revised, name)
        opcodes = word_diff(before["text"], after["text"])
        before["parts"], after["parts"] = sides(opcodes, context=None)
        comparisons.append(
            {
                "name": name,
                "label": type(obj)._meta.get_field(name).verbose_name,
                "changed": has_changes(opcodes),
                "live": before,
                "revision": after,
            }
        )
    comparisons += other_comparisons(obj, copy, live.language, revised.language)
    return comparisons + reference_comparisons(obj, copy)


def other_comparisons(obj, copy, live_language, revised_language):
    """Columns outside the texts (a video address, a story's picture), as they are stored."""
    model = type(obj)
    shown = {f"{name}_{code}" for name in text_fields(model) for code in language_codes()}
    comparisons = []
    for name in sorted(set(copy._revision_columns) - shown):
        old, new = str(getattr(obj, name) or ""), str(getattr(copy, name) or "")
        opcodes = word_diff(old, new)
        old_parts, new_parts = sides(opcodes, context=None)
        before = {"lang": live_language, "dir": "ltr", "parts": old_parts}
        after = {"lang": revised_language, "dir": "ltr", "parts": new_parts}
        comparisons.append(
            {
                "name": name,
                "label": model._meta.get_field(name).verbose_name,
                "changed": has_changes(opcodes),
                "live": before,
                "revision": after,
            }
        )
    return comparisons


def reference_comparisons(obj, copy):
    """The references, one line each, when the revision changes them (always in English)."""
    if copy._revision_references is None:
        return []
    old = references.as_text(references.snapshot(obj))
    opcodes = word_diff(old, references.as_text(copy._revision_references))
    old_parts, new_parts = sides(opcodes, context=None)
    return [
        {
            "name": references.NAME,
            "label": type(obj)
            ._meta.get_field(references.NAME)
            .related_model._meta.verbose_name_plural,
            "changed": has_changes(opcodes),
            "live": {"lang": "en", "dir": "ltr", "parts": old_parts},
            "revision": {"lang": "en", "dir": "ltr", "parts": new_parts},
        }
    ]


def language_links(request, revision, current):
    base = reverse("revisions:preview", args=[revision.pk])
    return [
        {
            "code": code,
            "name": language_name_local(code),
            "url": f"{base}?language={code}",
            "is_current": code == current,
            "is_revision_language": code == revision.language,
        }
        for code in language_codes()
    ]


def change_url(obj):
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:  # a model without an admin simply gets no link
        return None


@require_safe
def preview(request, revision_id):
    revision, obj = visible_revision(request, revision_id)
    language = chosen_language(request, revision)
    copy = proposed_copy(obj, revision)
    fields = field_comparisons(obj, copy, language)
    page_url = None
    if page_view_for(type(obj)) is not None:
        page_url = reverse("revisions:page_preview", args=[revision.pk])
        page_url += f"?language={language}"
    context = {
        **admin.site.each_context(request),
        "title": _("Revision of “%(object)s”") % {"object": isolated(obj)},
        "revision": revision,
        "object": obj,
        "opts": type(obj)._meta,
        "object_url": change_url(obj),
        "language": language,
        "language_name": language_name_local(language),
        "language_links": language_links(request, revision, language),
        "fields": fields,
        "changed_count": sum(1 for field in fields if field["changed"]),
        "page_url": page_url,
    }
    response = TemplateResponse(request, "admin/revisions/preview.html", context)
    response["Cache-Control"] = NEVER_CACHED
    return response


@require_safe
def page_preview(request, revision_id):
    revision, obj = visible_revision(request, revision_id)
    page_view = page_view_for(type(obj))
    if page_view is None:
        raise Http404
    language = chosen_language(request, revision)
    with translation.override(language):
        response = page_view.for_object(request, proposed_copy(obj, revision)).preview()
    response["Cache-Control"] = NEVER_CACHED
    return response


preview_view = admin.site.admin_view(preview)
page_preview_view = admin.site.admin_view(page_preview)
