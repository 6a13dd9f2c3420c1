"""Check that references still lead where they say: working, moved or broken."""

import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils import timezone

from .models import LinkStatus, Reference

PERMANENT = {301, 308}
USER_AGENT = "KnowAML-link-checker/1.0 (+reference review)"


@dataclass
class LinkResult:
    status: str
    note: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(url, method, timeout):
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_NoRedirect)
    return opener.open(request, timeout=timeout)


def check_url(url, timeout=10, max_hops=5):
    """Follow temporary redirects; report a permanent one as moved, with its target."""
    current = url
    for _ in range(max_hops):
        try:
            try:
                response = _open(current, "HEAD", timeout)
            except urllib.error.HTTPError as error:
                if error.code in (403, 405, 501):  # some servers refuse HEAD
                    response = _open(current, "GET", timeout)
                else:
                    raise
            response.close()
            if current != url:
                return LinkResult(LinkStatus.OK, f"Works, after a temporary redirect to {current}")
            return LinkResult(LinkStatus.OK, f"HTTP {response.status}")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location")
            if 300 <= error.code < 400 and location:
                target = urllib.parse.urljoin(current, location)
                if error.code in PERMANENT:
                    return LinkResult(LinkStatus.MOVED, f"Moved permanently to {target}")
                current = target
                continue
            return LinkResult(LinkStatus.BROKEN, f"HTTP {error.code}")
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return LinkResult(LinkStatus.BROKEN, f"Could not connect: {reason}")
    return LinkResult(LinkStatus.BROKEN, "Too many redirects")


def check_references(references, timeout=10):
    counts = {}
    for reference in references:
        if not reference.url:
            continue
        result = check_url(reference.url, timeout=timeout)
        reference.link_status = result.status
        reference.link_note = result.note[:500]
        reference.link_checked = timezone.now()
        reference.save(update_fields=["link_status", "link_note", "link_checked"])
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts


def check_articles(article_ids=None, timeout=10):
    references = Reference.objects.exclude(url="").order_by("article_id", "order")
    if article_ids is not None:
        references = references.filter(article_id__in=article_ids)
    return check_references(references, timeout=timeout)
