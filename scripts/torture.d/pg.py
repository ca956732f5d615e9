"""A throwaway PostgreSQL cluster for scripts/torture --postgresql and scripts/bench --postgresql, through
scripts/pg-cluster: start, a fresh database per store, a crash (`pg_ctl stop -m immediate`) and a restart,
dropped connections, stop."""

from __future__ import annotations

import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_CLUSTER = os.path.join(ROOT, "scripts", "pg-cluster")


class Cluster:
    """One server on a free loopback port; the superuser `postgres` connects without a password."""

    def __init__(self, work_dir: str, durable: bool = False):
        # Its own directory beside the (private) work directory: the server runs as the `postgres` user when
        # the caller is root, and must be able to reach it.
        self.directory = os.path.join(tempfile.mkdtemp(prefix="chronicle-pg-"), "cluster")
        os.chmod(os.path.dirname(self.directory), 0o755)
        args = ["bash", PG_CLUSTER, "start", self.directory] + (["--durable"] if durable else [])
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"scripts/pg-cluster start failed: {done.stderr.strip()[-500:]}")
        self.url = done.stdout.strip()
        self.base = self.url.rsplit("/", 1)[0]
        self.databases = 0

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", f"{self.base}/{database}", "-v", "ON_ERROR_STOP=1", "-qtAc", sql],
            check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def create_database(self, name: str) -> str:
        """A new empty database (a valid identifier made from `name`) and the store URL naming it."""
        self.databases += 1
        database = "".join(c if c.isalnum() else "_" for c in name.lower())[:40] + f"_{self.databases}"
        self.psql(f'CREATE DATABASE "{database}"')
        return f"{self.base}/{database}"

    def crash(self) -> None:
        """The server stops as in a crash: no checkpoint, clients cut off; recovery replays the WAL."""
        subprocess.run(["bash", PG_CLUSTER, "crash", self.directory], check=True, capture_output=True)

    def restart(self) -> None:
        subprocess.run(["bash", PG_CLUSTER, "restart", self.directory], check=True, capture_output=True)

    def drop_connections(self, url: str) -> int:
        """Terminates every other session on the store's database; returns how many."""
        database = url.rsplit("/", 1)[1]
        count = self.psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()")
        return int(count or 0)

    def stop(self) -> None:
        subprocess.run(["bash", PG_CLUSTER, "stop", self.directory], capture_output=True)
        os.rmdir(os.path.dirname(self.directory))
