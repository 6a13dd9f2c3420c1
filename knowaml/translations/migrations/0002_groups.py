from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    from knowaml.translations.groups import sync_groups

    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
        )
        app_config.models_module = None
    sync_groups(apps, exact=False)


class Migration(migrations.Migration):

    dependencies = [
        ("translations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("education", "0005_self_hosted_video"),
        ("stories", "0002_historicalstory"),
        ("feedback", "0001_initial"),
        ("newsletter", "0003_permissions_and_audit"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
