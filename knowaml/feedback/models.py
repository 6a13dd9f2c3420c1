"""Answers to "Was this page helpful?". Nothing here identifies the visitor."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 1000


class Feedback(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of page"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("page id"))
    page = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    path = models.CharField(_("address"), max_length=500)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        answer = _("Helpful") if self.helpful else _("Not helpful")
        return f"{answer} · {self.path}"


class PageFeedback(Feedback):
    """The same answers, counted per page for editors."""

    class Meta:
        proxy = True
        verbose_name = _("feedback per page")
        verbose_name_plural = _("feedback per page")
