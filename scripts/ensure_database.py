#!/usr/bin/env python
"""Create the PostgreSQL database named in DATABASE_URL when the server answers but the database is missing.

Used by `make run` and the locate benchmark, so a fresh machine with a bare PostgreSQL
works without a manual `createdb`. Does nothing for SQLite or when the database exists.
"""

from __future__ import annotations

import os
import sys

import environ


def ensure_database(url: str | None = None) -> str:
    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if not url:
        return "sqlite"
    config = environ.Env.db_url_config(url)
    if not config["ENGINE"].startswith("django.db.backends.postgresql"):
        return "not postgresql"
    import psycopg2
    from psycopg2 import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        psycopg2.connect(dbname=config["NAME"], connect_timeout=5, **params).close()
        return "exists"
    except psycopg2.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    admin.close()
    return "created"


if __name__ == "__main__":
    try:
        outcome = ensure_database()
    except Exception as exc:  # say what failed; migrate would fail with a longer story
        print(f"Database check failed: {exc}", file=sys.stderr)
        sys.exit(1)
    if outcome == "created":
        print("Created the PostgreSQL database named in DATABASE_URL.")
