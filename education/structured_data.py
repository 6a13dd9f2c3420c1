"""schema.org page data for search engines (a JSON-LD data block, not a script).

Articles are medical pages about AML; stand-alone pages are about the site itself.
"""

import json

from django.utils import translation
from django.utils.safestring import mark_safe

from knowaml.addresses import absolute_url


def shown_address(page):
    """The address of the language the page is shown in: the canonical one, also on fallbacks."""
    with translation.override(page.language):
        return absolute_url(page.get_absolute_url())


def page_data(page, references):
    kind = page.object.schema_type()
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": page.title,
        "description": page.summary,
        "url": shown_address(page),
        "inLanguage": page.language,
        "datePublished": page.published.isoformat(),
        "dateModified": page.updated.isoformat(),
    }
    if kind == "MedicalWebPage":
        data["about"] = {"@type": "MedicalCondition", "name": "Acute myeloid leukaemia"}
        data["audience"] = {"@type": "PeopleAudience", "audienceType": "Patients and caregivers"}
    # Both come from an approved clinical revision: no reviewer is claimed without one.
    if page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed.isoformat()
    if page.last_reviewed and page.reviewer_name:
        data["reviewedBy"] = {"@type": "Person", "name": page.reviewer_name}
        if page.reviewer_role:
            data["reviewedBy"]["jobTitle"] = page.reviewer_role
    if references:
        data["citation"] = [
            {"@type": "CreativeWork", "name": r.citation, **({"url": r.url} if r.url else {})}
            for r in references
        ]
    # Safe: JSON with every "<" escaped, so editors' text can never close the data block
    # (tests/test_sharing_and_findability.py sends "</script><script>" through it).
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003c"))  # noqa: S308
