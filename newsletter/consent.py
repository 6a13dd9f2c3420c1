"""The consent wording shown in the sign-up box, by version.

The wording itself lives in ``templates/newsletter/includes/consent.html``. Change the
version whenever that text changes, and keep old versions listed so that a page cached
before the change still records what its visitor read.
"""

CURRENT_WORDING = "2026-01"
KNOWN_WORDINGS = {"2026-01"}
