"""An imported translation of something visitors can see waits for review as a revision;
drafts and other content take the text at once."""

from django.contrib import messages
from django.utils.text import Truncator
from django.utils.translation import ngettext

from ..content import Status
from ..revisions import workflow
from .registry import column

PAGES_NAMED = 10


def is_live(obj):
    """``workflow.is_live``, sparing drafts a query: their status is in the row just read."""
    if getattr(obj, "status", Status.PUBLISHED) != Status.PUBLISHED:
        return False
    return workflow.is_live(obj)


def split_live(passed):
    """The checked ``(obj, changes)`` pairs as ``(live, others)``."""
    live, others = [], []
    for pair in passed:
        (live if is_live(pair[0]) else others).append(pair)
    return live, others


def mark_for_review(report, live):
    """Flag the report's changes that will wait for review rather than go live."""
    units = {change.unit for _, changes in live for change in changes}
    for change in report.changes:
        change["revision"] = change["unit"] in units


def propose_for_review(live, language, user):
    """One submitted revision per object in ``language``; the live rows are not written."""
    revisions = []
    for obj, changes in live:
        values = {column(change.name, language): change.new for change in changes}
        revision = workflow.propose(obj, values, user, language=language, submit=True)
        if revision is not None:
            revisions.append((obj, revision))
    return revisions


def report_revisions(report, revisions):
    """After applying: the report lists what was written; revisions are counted apart."""
    report.changes = [change for change in report.changes if not change.get("revision")]
    report.revisions = [
        {"object": str(obj), "revision": revision.pk, "fields": sorted(revision.values)}
        for obj, revision in revisions
    ]
    request = current_request()
    if revisions and request is not None:
        names = [Truncator(str(obj)).chars(60) for obj, _ in revisions[:PAGES_NAMED]]
        if len(revisions) > PAGES_NAMED:
            names.append("…")
        messages.info(
            request,
            ngettext(
                "%(count)s change to a published page or glossary term is now a revision "
                "waiting for review, not yet visible to visitors: %(pages)s.",
                "%(count)s changes to published pages or glossary terms are now revisions "
                "waiting for review, not yet visible to visitors: %(pages)s.",
                len(revisions),
            )
            % {"count": len(revisions), "pages": ", ".join(names)},
        )


def current_request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)
