from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug in any script (Arabic slugs are written in Arabic)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered once, on first import: every app's URLs import this module to use "uslug".
register_converter(UnicodeSlugConverter, "uslug")
