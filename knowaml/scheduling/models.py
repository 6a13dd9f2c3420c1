from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """When a periodic task was last handed to the task queue."""

    task_path = models.CharField(_("task"), max_length=200, unique=True)
    last_enqueued = models.DateTimeField(_("last enqueued"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["task_path"]

    def __str__(self):
        return self.task_path
