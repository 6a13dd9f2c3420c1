"""Open Graph details for link previews: the page's locales and the picture shown with it."""

from urllib.parse import urlsplit

from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from knowaml.addresses import absolute_url

register = template.Library()

# Open Graph names a locale by language and territory.
LOCALES = {"en": "en_GB", "es": "es_ES", "fr": "fr_FR", "de": "de_DE", "ar": "ar_AR"}
SITE_IMAGE = {"path": "img/share.png", "width": 1200, "height": 630}


def open_graph_locale(code):
    return LOCALES.get(code, code.replace("-", "_"))


@register.simple_tag(takes_context=True)
def open_graph_locales(context):
    """The locale of the address shared (English on a fallback page), then the page's others."""
    alternates = context.get("alternates") or []
    canonical = context.get("canonical_url")
    shown = next(
        (a["code"] for a in alternates if a["url"] == canonical), translation.get_language()
    )
    return {
        "locale": open_graph_locale(shown),
        "alternates": [open_graph_locale(a["code"]) for a in alternates if a["code"] != shown],
    }


@register.simple_tag(takes_context=True)
def open_graph_image(context):
    """The page's own picture (``share_image`` in the context), else the site's."""
    image = context.get("share_image") or {
        "url": static(SITE_IMAGE["path"]),
        "width": SITE_IMAGE["width"],
        "height": SITE_IMAGE["height"],
        "alt": _("Know AML"),
    }
    url = image["url"]
    # Uploads kept on another host already have an absolute address.
    return {**image, "url": url if urlsplit(url).scheme else absolute_url(url)}
