from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor
from .models import TwoFactorReset

User = get_user_model()

# Devices hold the secrets behind every staff account's codes: nobody browses them. Accounts
# are reset from the user list instead (below).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class LockoutAdmin(AccessAttemptAdmin):
    """django-axes' failed sign-ins: deleting a row unlocks that account and address. Its
    clean-up action deletes rows too, so it needs the delete permission."""

    @admin.action(
        description=AccessAttemptAdmin.cleanup_expired_attempts.short_description,
        permissions=["delete"],
    )
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)


class StaffUserAdmin(UserAdmin):
    actions = ["reset_two_factor"]
    list_display = [*UserAdmin.list_display, "two_factor"]

    @admin.display(boolean=True, description=_("two-factor sign-in"))
    def two_factor(self, user):
        return twofactor.has_device(user)

    def has_reset_two_factor_permission(self, request):
        return request.user.has_perm("accounts.reset_two_factor")

    @admin.action(
        permissions=["reset_two_factor"],
        description=_("Reset two-factor sign-in (sets up a new authenticator at next sign-in)"),
    )
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset(user, by=request.user)
            self.log_change(request, user, "Reset two-factor sign-in.")
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d account. It sets up a new "
                "authenticator at its next sign-in.",
                "Two-factor sign-in was reset for %(count)d accounts. Each sets up a new "
                "authenticator at its next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


@admin.register(TwoFactorReset)
class TwoFactorResetAdmin(admin.ModelAdmin):
    list_display = ["account", "reset_by", "reset_at"]
    list_filter = ["reset_at"]
    search_fields = ["account", "reset_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
