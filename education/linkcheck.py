"""Check that references still lead where they say: working, moved or broken.

Every request goes through ``knowaml.outbound``, which refuses addresses that are not http or
https on the public internet, at the first hop and at every redirect; a refused link is
reported as broken, with the reason.
"""

import http.client
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from knowaml import outbound

from .models import LinkStatus, Reference

PERMANENT = {301, 308}
USER_AGENT = "KnowAML-link-checker/1.0 (+reference review)"


@dataclass
class LinkResult:
    status: str
    note: str


def _ask(url, first_url, timeout):
    """HEAD, or GET when a server refuses HEAD; only the status is needed, never the body."""
    options = {
        "first_url": first_url,
        "timeout": timeout,
        "max_body": 0,
        "headers": {"User-Agent": USER_AGENT},
    }
    response = outbound.request(url, "HEAD", **options)
    if response.status in (403, 405, 501):
        response = outbound.request(url, "GET", **options)
    return response


def _refused(url, current, reason):
    if current == url:
        return LinkResult(LinkStatus.BROKEN, _("Refused: %(reason)s") % {"reason": reason})
    note = _("Refused after a redirect to %(address)s: %(reason)s")
    return LinkResult(LinkStatus.BROKEN, note % {"address": current, "reason": reason})


def check_url(url, timeout=10, max_hops=5):
    """Follow temporary redirects; report a permanent one as moved, with its target."""
    current = url
    for _hop in range(max_hops):
        try:
            response = _ask(current, url, timeout)
        except outbound.Refused as refused:
            return _refused(url, current, refused)
        except (OSError, http.client.HTTPException, ValueError) as error:
            note = _("Could not connect: %(reason)s") % {"reason": error}
            return LinkResult(LinkStatus.BROKEN, note)
        target = response.redirect_target()
        if target is not None:
            if response.status in PERMANENT:
                return _moved(url, target)
            current = target
            continue
        if not 200 <= response.status < 300:
            return LinkResult(LinkStatus.BROKEN, f"HTTP {response.status}")
        if current != url:
            note = _("Works, after a temporary redirect to %(address)s") % {"address": current}
            return LinkResult(LinkStatus.OK, note)
        return LinkResult(LinkStatus.OK, f"HTTP {response.status}")
    return LinkResult(LinkStatus.BROKEN, _("Too many redirects"))


def _moved(url, target):
    """Report the new address, unless it is one this site would refuse to request."""
    try:
        outbound.check_destination(target, first_url=url)
    except outbound.Refused as refused:
        return _refused(url, target, refused)
    except (OSError, ValueError):
        pass  # a name that does not resolve today is still where the site says it moved
    note = _("Moved permanently to %(address)s") % {"address": target}
    return LinkResult(LinkStatus.MOVED, note)


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
