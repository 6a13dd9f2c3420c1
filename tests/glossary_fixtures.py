"""Glossary fixtures (a pytest plugin: see tests/conftest.py)."""

import pytest

from education.models import GlossaryTerm

from .conftest import translations


def make_term(**languages):
    return GlossaryTerm.objects.create(**translations(**languages))


@pytest.fixture
def glossary(db):
    return {
        "blast": make_term(
            en={
                "term": "Blast",
                "slug": "blast",
                "also_matches": "blasts, blast cells",
                "definition": "A young blood cell that has not grown up properly.",
            },
            es={
                "term": "Blasto",
                "slug": "blasto",
                "also_matches": "blastos",
                "definition": "Una célula de la sangre joven que no ha madurado bien.",
            },
            ar={
                "term": "الخلية الأرومية",
                "slug": "الخلية-الأرومية",
                "definition": "خلية دم صغيرة لم تنضج بشكل صحيح.",
            },
        ),
        "bone_marrow": make_term(
            en={
                "term": "Bone marrow",
                "slug": "bone-marrow",
                "definition": "The soft tissue inside bones where blood cells are made.",
            },
            es={
                "term": "Médula ósea",
                "slug": "medula-osea",
                "definition": "El tejido blando dentro de los huesos donde se forma la sangre.",
            },
        ),
        "biopsy": make_term(
            en={
                "term": "Bone marrow biopsy",
                "slug": "bone-marrow-biopsy",
                "definition": "A test that takes a small sample of **bone marrow**.",
            },
        ),
        "refractory": make_term(
            en={
                "term": "Refractory",
                "slug": "refractory",
                "definition": "AML that did not go into remission with treatment.",
            },
        ),
    }
