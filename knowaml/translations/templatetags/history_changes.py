"""What a version changed, as the history list shows it: each field once, by its language label."""

from django import template
from django.utils.text import capfirst
from modeltranslation.translator import NotRegistered, translator

register = template.Library()


def label(field):
    return str(capfirst(field.verbose_name))


@register.filter
def changes_once(record, opts):
    """The changes of a history ``record`` without the untranslated mirror column
    ("Slug" beside "Slug [en]") and without empty-to-empty changes (None to "")."""
    try:
        mirrors = {
            label(opts.get_field(name))
            for name in translator.get_options_for_model(opts.model).all_fields
        }
    except NotRegistered:
        mirrors = set()
    fields = {label(field): field.name for field in opts.fields}
    changes = []
    for change in getattr(record, "history_delta_changes", None) or []:
        name = fields.get(str(change["field"]))
        if str(change["field"]) in mirrors:
            continue
        if (
            name
            and getattr(record, name, None) in (None, "")
            and str(change["old"]) in ("None", "")
        ):
            continue
        changes.append(change)
    return changes
