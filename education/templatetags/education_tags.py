from django import template
from django.utils.encoding import uri_to_iri

from knowaml.fragments import Versioned

from ..models import Reference
from ..navigation import navigation

register = template.Library()

# Article pages are kept as HTML (the "fragment" tag) until this or the navigation changes.
references = Versioned("education:references", [Reference])


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
