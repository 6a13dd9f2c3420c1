"""An imported translation of something visitors can see waits for review as a revision;
drafts and other content take the text at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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


def split_live(passed, language):
    """The checked ``(obj, changes)`` pairs as ``(live, others)``: a live object's reviewed
    texts wait for review; the rest of its changes (a reviewer's role) are written at once."""
    live, others = [], []
    for obj, changes in passed:
        if not is_live(obj):
            others.append((obj, changes))
            continue
        reviewed = {name.rpartition("_")[0] for name in workflow.content_columns(type(obj))}
        waiting = [change for change in changes if change.name in reviewed]
        at_once = [change for change in changes if change.name not in reviewed]
        if waiting:
            live.append((obj, waiting))
        if at_once:
            # A batch writes every column any of its objects changed: this row must carry
            # its live values, not the texts that wait for review.
            row = type(obj)._base_manager.get(pk=obj.pk)
            for change in at_once:
                setattr(row, column(change.name, language), change.new)
            others.append((row, at_once))
    return live, others


def mark_for_review(report, live):
    """Flag the report's changes that will wait for review rather than go live."""
    units = {change.unit for _, changes in live for change in changes}
    for change in report.changes:
        change["revision"] = change["unit"] in units


def propose_for_review(live, language, user, report):
    """One submitted revision per object in ``language``; the live rows are not written."""
    revisions = []
    for obj, changes in live:
        values = {column(change.name, language): change.new for change in changes}
        try:
            revision = workflow.propose(obj, values, user, language=language, submit=True)
        except (ValidationError, PermissionDenied) as error:
            for change in changes:
                report.reject(change.unit, "; ".join(getattr(error, "messages", [str(error)])))
            continue
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
