from django.contrib.auth.management import create_permissions
from django.db import migrations

# Spellings and short forms visitors use; editors extend them in the admin.
SYNONYMS = {
    "en": [
        "leukaemia\nleukemia",
        "haematology\nhematology",
        "haematologist\nhematologist",
        "anaemia\nanemia",
        "haemoglobin\nhemoglobin",
        "tumour\ntumor",
        "chemo\nchemotherapy",
        "transplant\nstem cell transplant\nbone marrow transplant\nBMT",
        "MRD\nmeasurable residual disease\nminimal residual disease",
        "tiredness\nfatigue",
        "caregiver\ncarer",
    ],
    "es": [
        "quimio\nquimioterapia",
        "trasplante\ntransplante",
        "trasplante de médula ósea\ntrasplante de células madre\ntrasplante de progenitores hematopoyéticos",
        "LMA\nleucemia mieloide aguda",
        "cansancio\nfatiga",
    ],
    "fr": [
        "chimio\nchimiothérapie",
        "greffe\ngreffe de moelle\ngreffe de cellules souches\nallogreffe",
        "LAM\nleucémie aiguë myéloïde",
    ],
    "de": [
        "Chemo\nChemotherapie",
        "Leukämie\nLeukaemie",
        "Transplantation\nStammzelltransplantation\nKnochenmarktransplantation",
    ],
    "ar": [
        "كيماوي\nكيميائي",
        "سرطان الدم\nابيضاض الدم\nلوكيميا",
        "زرع نخاع العظم\nزراعة نخاع العظم\nزرع الخلايا الجذعية",
    ],
}


def add_synonyms(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(
        Synonym(language=language, forms=forms)
        for language, groups in SYNONYMS.items()
        for forms in groups
    )


def give_editors_search(apps, schema_editor):
    from knowaml.translations.groups import sync_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        app_config.models_module = None
    sync_groups(apps, exact=False)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("revisions", "0003_scheduled_publication"),
    ]

    operations = [
        migrations.RunPython(add_synonyms, migrations.RunPython.noop),
        migrations.RunPython(give_editors_search, migrations.RunPython.noop),
    ]
