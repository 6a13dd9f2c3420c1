"""What needs an editor's attention, at the top of the admin index."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from education.models import Article, Page
from stories.models import Story

from ..content import Status
from ..revisions import workflow
from ..revisions.models import Revision

register = template.Library()


def _changelist(model, query):
    opts = model._meta
    return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{query}"


def revision_rows(user):
    mine = Revision.objects.filter(author=user, state=Revision.State.CHANGES_REQUESTED)
    return [
        (
            _("Revisions waiting for my review"),
            workflow.waiting_for(user).count(),
            _changelist(Revision, "mine=to-review"),
        ),
        (
            _("My revisions with changes requested"),
            mine.count(),
            _changelist(Revision, "mine=changes-requested"),
        ),
    ]


@register.inclusion_tag("admin/editor_dashboard.html", takes_context=True)
def editor_dashboard(context):
    user = context["request"].user
    today = timezone.localdate()
    rows = revision_rows(user)
    for model in (Article, Page, Story):
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        published = model.objects.published()
        name = opts.verbose_name_plural
        if model is not Story:
            overdue = published.review_overdue(today).count()
            rows.append(
                (
                    _("%(kind)s overdue for clinical review") % {"kind": name.capitalize()},
                    overdue,
                    _changelist(model, "review=overdue"),
                )
            )
        going_live = model.objects.filter(status=Status.DRAFT, go_live_at__isnull=False)
        coming_down = published.filter(take_down_at__isnull=False)
        rows.append(
            (
                _("%(kind)s scheduled to go live") % {"kind": name.capitalize()},
                going_live.count(),
                _changelist(model, "schedule=live"),
            )
        )
        rows.append(
            (
                _("%(kind)s scheduled to come down") % {"kind": name.capitalize()},
                coming_down.count(),
                _changelist(model, "schedule=down"),
            )
        )
    return {"rows": [{"label": label, "count": count, "url": url} for label, count, url in rows]}
