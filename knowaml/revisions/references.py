"""An article's references as part of its revision: the whole proposed list under one name.

A list item is a reference's visitor-facing fields as JSON, with the id of the reference it
changes (``None`` for a new one). The link check's fields are not content: a changed address
is checked again, an unchanged one keeps its result.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from education.models import Article, LinkStatus, Reference

NAME = "references"
FIELDS = ("order", "citation", "url", "published", "accessed")


def has_references(model):
    return model is Article


def json_value(name, value):
    if name == "accessed":
        return value.isoformat() if value else ""
    if name == "order":
        return int(value or 0)
    return value or ""


def model_value(name, value):
    if name == "accessed":
        return datetime.date.fromisoformat(value) if value else None
    return value


def item(reference):
    return {
        "id": reference.pk,
        **{name: json_value(name, getattr(reference, name)) for name in FIELDS},
    }


def in_order(items):
    return sorted(items, key=lambda i: (i["order"], i["id"] is None, i["id"] or 0))


def snapshot(article):
    """The live list, as a revision stores it."""
    return [item(reference) for reference in Reference.objects.filter(article=article)]


def from_formset(formset, base):
    """``base`` (the live list, or the author's pending one) with the inline's changes.

    Only the fields changed in the form are taken, so edits made on the live values do not
    undo other pending edits of the same reference.
    """
    items = [dict(i) for i in base]
    for form in formset.initial_forms:
        pk = form.instance.pk
        if pk is None:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            items = [i for i in items if i["id"] != pk]
            continue
        if not form.has_changed():
            continue
        found = next((i for i in items if i["id"] == pk), None)
        if found is None:
            items.append(item(form.instance))
            continue
        for name in set(form.changed_data) & set(FIELDS):
            found[name] = json_value(name, form.cleaned_data.get(name))
    for form in formset.extra_forms:
        if not form.has_changed() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        values = {name: json_value(name, form.cleaned_data.get(name)) for name in FIELDS}
        items.append({"id": None, **values})
    return in_order(items)


def apply(article, items):
    """Make the live list ``items``: change, add and delete references (in a transaction)."""
    existing = {reference.pk: reference for reference in Reference.objects.filter(article=article)}
    kept = set()
    for values in items:
        reference = existing.get(values.get("id")) or Reference(article=article)
        if reference.pk is not None:
            kept.add(reference.pk)
        if reference.url != values["url"]:
            reference.link_status, reference.link_note = LinkStatus.UNCHECKED, ""
            reference.link_checked = None
        for name in FIELDS:
            setattr(reference, name, model_value(name, values[name]))
        try:
            reference.full_clean(exclude=["article"])
        except ValidationError as error:
            message = _("Reference “%(citation)s”: %(errors)s")
            errors = {"citation": reference.citation[:80], "errors": " ".join(error.messages)}
            raise ValidationError(message % errors) from error
        reference.save()
    for pk, reference in existing.items():
        if pk not in kept:
            reference.delete()


def as_text(items):
    """One line a reference, for the word-by-word comparison."""
    lines = []
    for number, values in enumerate(items, 1):
        details = [values["citation"], values["url"], values["published"], values["accessed"]]
        lines.append(f"{number}. " + " · ".join(part for part in details if part))
    return "\n".join(lines)


def shown(article, items):
    """Make ``article.references.all()`` give ``items`` (unsaved), for a preview."""
    references = [
        Reference(
            pk=values.get("id"),
            article=article,
            **{name: model_value(name, values[name]) for name in FIELDS},
        )
        for values in items
    ]
    queryset = Reference.objects.none()
    queryset._result_cache, queryset._prefetch_done = references, True
    cache = getattr(article, "_prefetched_objects_cache", {})
    cache[NAME] = queryset
    article._prefetched_objects_cache = cache
