from django import template

from ..navigation import navigation

register = template.Library()


@register.inclusion_tag("education/includes/main_navigation.html")
def main_navigation():
    return navigation()


@register.inclusion_tag("education/includes/footer_pages.html")
def footer_pages():
    return navigation()
