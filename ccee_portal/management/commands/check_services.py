"""Stop at once, saying how to start it, when PostgreSQL or Redis is not reachable."""

import sys

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


class Command(BaseCommand):
    help = "Check that the test suite's PostgreSQL and Redis answer; exit 1 with a fix if not."

    def handle(self, *args, **options):
        problems = []
        if connection.vendor != "postgresql":
            problems.append(
                ("PostgreSQL", f"DATABASE_URL points at {connection.vendor}, not PostgreSQL.")
            )
        else:
            # The suite creates its own test database, so ask the server, not DATABASE_URL's db.
            params = {**connection.get_connection_params(), "dbname": "postgres"}
            params.setdefault("connect_timeout", 3)
            try:
                psycopg.connect(**params).close()
            except psycopg.OperationalError as error:
                first_line = str(error).strip().splitlines()[0]
                problems.append(("PostgreSQL", f"cannot connect ({first_line})."))
        redis_url = settings.REDIS_URL
        if not redis_url:
            problems.append(("Redis", "REDIS_URL is not set."))
        else:
            try:
                redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
            except redis.RedisError as error:
                problems.append(("Redis", f"cannot connect to {redis_url} ({error})."))
        for service, problem in problems:
            self.stderr.write(f"{service}: {problem}\n  Start it with: {HOW_TO_START[service]}")
        if problems:
            sys.exit(1)
        self.stdout.write("PostgreSQL and Redis are reachable.")
