from django import forms
from django.utils.translation import gettext_lazy as _

from . import twofactor


class CodeForm(forms.Form):
    """A one-time code for ``user``, checked against ``check(user, code)``."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
    error_message = _("That code is not right. Check it and try again.")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def check(self, code):
        return twofactor.verify(self.user, code)

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = self.check(code)
        if not self.device:
            raise forms.ValidationError(self.error_message, code="invalid")
        return code


class EnrolForm(CodeForm):
    """The first code from a newly added authenticator, which confirms it."""

    def __init__(self, user, device, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.pending = device
        self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def check(self, code):
        return self.pending if twofactor.confirm(self.pending, code) else None
