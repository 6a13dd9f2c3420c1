from django.db import models
from django.utils.translation import gettext_lazy as _


class TwoFactorReset(models.Model):
    """Who reset whose two-factor sign-in, and when. Names are kept as text so the record
    outlives either account."""

    account = models.CharField(_("account"), max_length=150)
    reset_by = models.CharField(_("reset by"), max_length=150)
    reset_at = models.DateTimeField(_("reset at"), auto_now_add=True)

    class Meta:
        default_permissions = ("view",)
        permissions = [
            ("reset_two_factor", _("Can reset another account's two-factor sign-in")),
        ]
        ordering = ["-reset_at"]
        verbose_name = _("two-factor reset")
        verbose_name_plural = _("two-factor resets")

    def __str__(self):
        return f"{self.account} ({self.reset_at:%Y-%m-%d %H:%M})"
