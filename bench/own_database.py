"""The database of a bench script's own: created on DATABASE_URL's PostgreSQL server, named
after the script and the process (two runs, or a run beside the suite, never share one), and
the only database the script drops.

    old_config, url = create("changelist")   # ccee_bench_changelist_<pid>, migrated
    try:
        ...                                    # Django's connection now points at it
    finally:
        drop(old_config)

Django must be set up first. `url` is the database's DATABASE_URL, for processes the script
starts (gunicorn, a Celery worker).
"""

import os


def create(prefix: str):
    """Create and migrate ccee_bench_<prefix>_<pid>; return (old_config, its DATABASE_URL)."""
    from django.conf import settings
    from django.test.utils import setup_databases

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (postgres://…).")
    name = f"ccee_bench_{prefix}_{os.getpid()}"
    db.setdefault("TEST", {})["NAME"] = name
    old_config = setup_databases(verbosity=0, interactive=False)
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    return old_config, url


def drop(old_config) -> None:
    """Close this process's connections and drop the database create() made (and only it)."""
    from django.db import connections
    from django.test.utils import teardown_databases

    connections.close_all()
    teardown_databases(old_config, verbosity=0)
