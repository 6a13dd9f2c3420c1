"""The site's public address, SITE_URL: the one source of every absolute link it writes.

Never the Host header of the request: a page cached after one request is served to
everyone, sitemaps and feeds are copied by other sites, and emails leave from tasks that
have no request at all.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.encoding import iri_to_uri


def absolute_url(path):
    """``path``, as reverse() or get_absolute_url() give it, at the public address."""
    return iri_to_uri(settings.SITE_URL + path)


def public_scheme_and_host():
    """The public address's scheme and host (with any port), as sitemaps ask for them."""
    address = urlsplit(settings.SITE_URL)
    return address.scheme, address.netloc
