"""Template helpers for the translation parts of the change form: status, changes, fields."""

from django import forms, template
from django.utils.text import capfirst

register = template.Library()


@register.simple_tag
def english_changes(statuses):
    """Each English change behind "Needs update" once, with the languages it affects."""
    changes = {}
    for item in statuses:
        for diff in item["diffs"]:
            key = (diff["name"], diff["old"], diff["new"])
            change = changes.setdefault(key, {**diff, "languages": []})
            change["languages"].append(item["name"])
    return list(changes.values())


@register.filter
def join_fields(diffs):
    return ", ".join(str(capfirst(diff["field"])) for diff in diffs)


LONG_TEXT = 250


@register.filter
def translation_box(bound_field):
    """A one-line field that can hold a few sentences wraps, like the English beside it."""
    field, widget = bound_field.field, bound_field.field.widget
    if isinstance(widget, forms.TextInput) and (getattr(field, "max_length", 0) or 0) >= LONG_TEXT:
        classes = widget.attrs.get("class", "").replace("vTextField", "vLargeTextField")
        attrs = {**widget.attrs, "class": classes, "rows": 2}
        return bound_field.as_widget(widget=forms.Textarea(attrs=attrs))
    return bound_field
