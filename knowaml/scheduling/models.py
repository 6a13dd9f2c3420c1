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


class WorkerHeartbeat(models.Model):
    """A running task worker's latest sign of life, so a dead one's tasks can be found."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
