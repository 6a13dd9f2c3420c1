import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .consent import CURRENT_WORDING, KNOWN_WORDINGS

DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
INVALID = _("Enter an email address such as name@example.com.")
# Pages whose address holds a subscriber's credential (a token): never recorded as the
# page where someone signed up, or consent_page would keep a working unsubscribe link.
PRIVATE_VIEWS = frozenset(
    {"newsletter:confirm", "newsletter:preferences", "newsletter-unsubscribe"}
)


def is_private_view(view_name):
    return view_name in PRIVATE_VIEWS


def is_private_page(path):
    """True if ``path`` (in any language) is a confirm, preferences or unsubscribe page."""
    prefix = path.split("/")[1] if path.count("/") > 1 else ""
    language = prefix if prefix in dict(settings.LANGUAGES) else translation.get_language()
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return is_private_view(match.view_name)


def normalise_email(value):
    """Return the address as stored (lower case, Unicode domain) or raise ValidationError.

    Stricter than the RFC on purpose: no quoted local parts, comments, IP literals or
    single-label domains, and an ASCII local part (few mailboxes accept SMTPUTF8), but
    internationalised domain names are welcome in either Unicode or punycode form.
    """
    value = unicodedata.normalize("NFC", value.strip())
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or len(local) > 64:
        raise ValidationError(INVALID, code="invalid")
    if not local.isascii() or not DOT_ATOM.match(local):
        raise ValidationError(INVALID, code="invalid")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
        unicode_domain = ascii_domain.encode("ascii").decode("idna")
    except UnicodeError as error:
        raise ValidationError(INVALID, code="invalid") from error
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        raise ValidationError(INVALID, code="invalid")
    if labels[-1].isdigit() or len(ascii_domain) > 253:
        raise ValidationError(INVALID, code="invalid")
    ascii_address = f"{local}@{ascii_domain}"
    if len(ascii_address) > 254:
        raise ValidationError(INVALID, code="invalid")
    validate_email(ascii_address)
    return f"{local.lower()}@{unicode_domain}"


class EmailAddressField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 320)
        kwargs.setdefault(
            "widget",
            # Not type="email": some browsers refuse internationalised domains there.
            forms.TextInput(
                attrs={"inputmode": "email", "autocomplete": "email", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_email(value) if value else value


class SignupForm(forms.Form):
    email = EmailAddressField(label=_("Your email address"))
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=settings.LANGUAGES, required=False
    )
    # Honeypot: hidden from people (and screen readers), filled in by form-filling bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    page = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    wording = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, language=None, page="", **kwargs):
        """``language`` and ``page``: the page the form is shown on, its first choice."""
        self.page_language = language
        initial = {"language": language, "page": page, "wording": CURRENT_WORDING}
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def is_bot(self):
        return bool(self.data.get("website"))

    def clean_language(self):
        return self.cleaned_data.get("language") or self.page_language

    def clean_page(self):
        page = self.cleaned_data.get("page", "")
        # Only a path on this site is recorded; anything else is noise or an attack.
        if not page.startswith("/") or page.startswith("//"):
            return ""
        return "" if is_private_page(page) else page

    def clean_wording(self):
        wording = self.cleaned_data.get("wording")
        return wording if wording in KNOWN_WORDINGS else CURRENT_WORDING


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
