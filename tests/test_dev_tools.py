"""Development tools live in knowaml.dev, which production never loads; apps stand alone."""

import ast

import pytest
from django.conf import settings
from django.core.management import get_commands

from .test_entry_points import ROOT, production_env_file, run  # noqa: F401  (fixture)

DEV_COMMANDS = ["bench_pages", "create_demo_admin", "newsletter_benchmark"]
APPS = ["education", "stories", "newsletter"]

SHOW_DEV_TOOLS = (
    "from django.conf import settings; from django.core.management import get_commands; "
    "print('knowaml.dev' in settings.INSTALLED_APPS, "
    f"sorted(set(get_commands()) & {set(DEV_COMMANDS)!r}))"
)


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("app", APPS)
def test_apps_never_import_each_other(app):
    others = [other for other in APPS if other != app]
    found = [
        (str(path.relative_to(ROOT)), module)
        for path in (ROOT / app).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in others
    ]
    assert found == []


def test_development_and_tests_have_the_dev_tools():
    assert "knowaml.dev" in settings.INSTALLED_APPS
    commands = get_commands()
    assert {name: commands.get(name) for name in DEV_COMMANDS} == dict.fromkeys(
        DEV_COMMANDS, "knowaml.dev"
    )


def test_development_manage_py_lists_the_dev_tools_and_checks(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    shown = run(["manage.py", "shell", "--no-imports", "-c", SHOW_DEV_TOOLS], database)
    assert shown.stdout.strip() == f"True {sorted(DEV_COMMANDS)!r}", shown.stderr
    checked = run(["manage.py", "check"], database)
    assert checked.returncode == 0, checked.stderr


def test_production_never_loads_the_dev_tools(production_env_file):  # noqa: F811
    shown = run(["manage.py", "shell", "--no-imports", "-c", SHOW_DEV_TOOLS], production_env_file)
    assert shown.stdout.strip() == "False []", shown.stderr
    for command in DEV_COMMANDS:
        refused = run(["manage.py", command], production_env_file)
        assert refused.returncode != 0
        assert f"Unknown command: '{command}'" in refused.stderr
    checked = run(["manage.py", "check"], production_env_file)
    assert checked.returncode == 0, checked.stderr


def test_no_deploy_file_names_a_dev_tool():
    for path in [*(ROOT / "deploy").rglob("*"), *(ROOT / "tests" / "production").rglob("*.py")]:
        if path.is_file() and path.suffix != ".pyc":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [name for name in DEV_COMMANDS if name in text], path
