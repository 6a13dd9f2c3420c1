from django import template
from django.utils import translation

from ..forms import SignupForm, is_private_view

register = template.Library()


@register.inclusion_tag("newsletter/includes/signup_box.html", takes_context=True)
def newsletter_signup(context):
    """The sign-up box: the same for every visitor of a page, so the page stays cacheable."""
    request = context.get("request")
    language = translation.get_language()
    page = request.path if request else ""
    match = getattr(request, "resolver_match", None)
    if match is not None and is_private_view(match.view_name):
        page = ""  # the address holds the reader's token: keep it out of consent_page
    form = SignupForm(auto_id="newsletter-box-%s", language=language, page=page)
    return {"form": form}
