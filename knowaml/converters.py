class UnicodeSlugConverter:
    """A slug in any script (Arabic slugs are written in Arabic)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
