from django import template
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ..leases import IN_DOUBT

register = template.Library()


@register.inclusion_tag("admin/scheduling/tasks_in_doubt.html", takes_context=True)
def tasks_in_doubt(context):
    """Tasks a dead worker left unfinished that may have sent email, for editors to check."""
    user = context["request"].user
    if not user.has_perm("django_tasks_database.view_dbtaskresult"):
        return {"count": 0}
    count = DBTaskResult.objects.failed().filter(exception_class_path=IN_DOUBT).count()
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    return {"count": count, "url": f"{changelist}?status__exact=FAILED"}
