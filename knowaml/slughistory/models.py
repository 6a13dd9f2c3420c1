from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OldSlugQuerySet(models.QuerySet):
    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class OldSlug(models.Model):
    """A slug a page used to have, so that old links answer 301 to the new address."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10)
    slug = models.SlugField(_("old slug"), max_length=200, allow_unicode=True)
    replaced = models.DateTimeField(_("replaced"), auto_now=True)

    objects = OldSlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        ordering = ["-replaced"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "language", "slug"], name="unique_old_slug_per_language"
            )
        ]

    def __str__(self):
        return f"{self.language}: {self.slug}"
