"""What a backup folder holds, and how each database engine writes and reads it.

A folder has the database (``database.dump``, PostgreSQL's custom format, or
``database.sqlite3``) and ``media.tar``, the uploads under MEDIA_ROOT. The database is
copied first, so every file it names is in the tar.
"""

import os
import sqlite3
import subprocess
import tarfile
from contextlib import closing

from django.core.management.base import CommandError

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_FILE = "media.tar"


def database_file(folder, connection):
    try:
        return folder / DATABASE_FILES[connection.vendor]
    except KeyError:
        raise CommandError(
            f"Backups support PostgreSQL and SQLite, not {connection.vendor}."
        ) from None


def dump_database(path, connection):
    if connection.vendor == "postgresql":
        # pg_dump reads the whole database in one snapshot, so the dump is consistent.
        run_postgres(["pg_dump", "--format=custom", f"--file={path}"], connection)
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)


def load_database(path, connection, replace=False):
    if connection.vendor == "postgresql":
        options = ["--clean", "--if-exists"] if replace else []
        run_postgres(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *options,
                str(path),
            ],
            connection,
        )
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
            source.backup(connection.connection)
    connection.close()


def run_postgres(args, connection):
    """Run a PostgreSQL client with the connection settings in its environment.

    The password goes in PGPASSWORD, never in the arguments, which any local user can read.
    """
    db = connection.settings_dict
    env = connection.client.settings_to_cmd_args_env(db, [])[1] or {}
    server = {"PGHOST": db["HOST"], "PGPORT": db["PORT"], "PGUSER": db["USER"]}
    env = {**os.environ, **env, **{key: str(value) for key, value in server.items() if value}}
    try:
        # pg_dump/pg_restore with an argument list (no shell); the password travels in env.
        finished = subprocess.run([*args, f"--dbname={db['NAME']}"], env=env)  # noqa: S603
    except FileNotFoundError:
        raise CommandError(f"{args[0]} is missing: install PostgreSQL's client programs.") from None
    if finished.returncode:
        raise CommandError(f"{args[0]} failed (exit status {finished.returncode}); see above.")


def pack_media(path, media_root):
    with tarfile.open(path, "w") as tar:
        if media_root.is_dir():
            tar.add(media_root, arcname=".")


def unpack_media(path, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path) as tar:
        tar.extractall(media_root, filter="data")
