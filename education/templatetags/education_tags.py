from django import template
from django.utils.encoding import uri_to_iri

from ..navigation import navigation

register = template.Library()


@register.inclusion_tag("education/includes/main_navigation.html")
def main_navigation():
    return navigation()


@register.inclusion_tag("education/includes/footer_pages.html")
def footer_pages():
    return navigation()


@register.filter
def readable_address(address):
    """An address as people read it: /ar/فهم-المرض/, not /ar/%D9%81.../ (links stay encoded)."""
    return uri_to_iri(address)
