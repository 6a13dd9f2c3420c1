"""``{% word_diff_sides old new as diff %}``: the "Before" and "Now" columns of a change."""

from django import template

from ...worddiff import has_changes, sides, word_diff

register = template.Library()


@register.simple_tag
def word_diff_sides(old, new, context=12):
    opcodes = word_diff(old or "", new or "")
    before, now = sides(opcodes, context=context)
    return {"before": before, "now": now, "changed": has_changes(opcodes)}
