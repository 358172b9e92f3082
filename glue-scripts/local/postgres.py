"""A throwaway PostgreSQL server on loopback, from the machine's PostgreSQL (Debian's packages;
`.ci/run` installs them): its own data folder and port, a user with a password, stopped after.
PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the package creates."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _binary(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name), reverse=True)), None)
    if not found:
        raise RuntimeError("PostgreSQL's {} not found: install PostgreSQL (apt-get install postgresql); .ci/run does".format(name))
    return found


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalPostgres:
    def __init__(self, user="lakeworks", password="local-only-password", database="sources"):
        self.user, self.password, self.database = user, password, database
        self.folder = tempfile.mkdtemp(prefix="lakeworks-postgres-")
        self.port = _free_port()
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def jdbc_url(self):
        return "jdbc:postgresql://127.0.0.1:{}/{}".format(self.port, self.database)

    def _run(self, *command, **kwargs):
        return subprocess.run(self._as + list(command), check=True, capture_output=True, text=True, **kwargs)

    def start(self):
        if self._as:
            shutil.chown(self.folder, "postgres", "postgres")
        password_file = os.path.join(self.folder, "password")
        with open(password_file, "w", encoding="utf-8") as handle:
            handle.write(self.password)
        if self._as:
            shutil.chown(password_file, "postgres", "postgres")
        data = os.path.join(self.folder, "data")
        self._run(_binary("initdb"), "-D", data, "-U", self.user, "--pwfile", password_file, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8")
        self._run(_binary("pg_ctl"), "-D", data, "-l", os.path.join(self.folder, "log"), "-w", "-o",
                  "-p {} -k {} -c listen_addresses=127.0.0.1".format(self.port, self.folder), "start")
        self.sql("CREATE DATABASE {}".format(self.database), database="postgres")
        return self

    def sql(self, statement, database=None):
        """Runs SQL as the server's user (over its local socket)."""
        return self._run(_binary("psql"), "-h", self.folder, "-p", str(self.port), "-U", self.user, "-d", database or self.database,
                         "-v", "ON_ERROR_STOP=1", "-q", "-A", "-t", "-c", statement).stdout

    def stop(self):
        subprocess.run(self._as + [_binary("pg_ctl"), "-D", os.path.join(self.folder, "data"), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
