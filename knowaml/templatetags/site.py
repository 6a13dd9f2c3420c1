from django import template

from knowaml import addresses

register = template.Library()


@register.simple_tag
def absolute_url(path):
    return addresses.absolute_url(path)
