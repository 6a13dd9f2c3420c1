from django import template
from django.utils import translation

from ..consent import CURRENT_WORDING
from ..forms import SignupForm

register = template.Library()


@register.inclusion_tag("newsletter/includes/signup_box.html", takes_context=True)
def newsletter_signup(context):
    """The sign-up box: the same for every visitor of a page, so the page stays cacheable."""
    request = context.get("request")
    language = translation.get_language()
    form = SignupForm(
        auto_id="newsletter-box-%s",
        language=language,
        initial={
            "language": language,
            "page": request.path if request else "",
            "wording": CURRENT_WORDING,
        },
    )
    return {"form": form}
