"""The English changes behind "Needs update", each shown once for all the languages it affects."""

from django import template
from django.utils.text import capfirst

register = template.Library()


@register.simple_tag
def english_changes(statuses):
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
