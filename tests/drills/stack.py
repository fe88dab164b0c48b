"""The project's real processes (gunicorn, Celery workers) on private, throw-away Redis and
PostgreSQL servers, so that a drill may stop, restart or kill anything without touching the shared
servers. The binaries come from Debian's packages, installed by devtools.devstack when absent."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis
import requests

from devtools import devstack

PASSWORD = "drill-password-2026"


def ephemeral_port() -> int:
    """A port the kernel just handed out: two drill runs at once do not pick the same one, as
    they could scanning from a fixed port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, what: str, *, timeout: float = 30, logs=lambda: ""):
    """Poll until condition() is truthy and return it; on timeout fail with the processes' logs."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}\n{logs()}")
        time.sleep(0.05)
    return result


def run(command: list[str], **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{command[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def parent_pid(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The parent pid follows the command name, which is in parentheses and may hold spaces.
    return int(stat.rpartition(")")[2].split()[1])


class Process:
    """A command in a session of its own (so its children can be killed with it), output to a log."""

    def __init__(self, name: str, command: list[str], *, env: dict, log_dir: Path):
        self.name, self.log = name, log_dir / f"{name}.log"
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                command, cwd=devstack.PROJECT_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group: a worker's pool children and their parsers go too."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def descendants(self) -> dict[int, str]:
        """Every process below this one: pid -> command line."""
        children: dict[int, list[int]] = {}
        for pid in (int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()):
            with contextlib.suppress(OSError):  # it has just ended
                children.setdefault(parent_pid(pid), []).append(pid)
        found, pending = {}, list(children.get(self.pid, []))
        while pending:
            pid = pending.pop()
            with contextlib.suppress(OSError):
                found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            pending += children.get(pid, [])
        return found


class RedisServer:
    """A redis-server keeping nothing on disk; stop() and start() again keep its port."""

    def __init__(self, log_dir: Path):
        self.port, self.log_dir, self.process = ephemeral_port(), log_dir, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def broker_is_idle(self) -> bool:
        """Nothing queued and nothing delivered but unacknowledged (kombu's keys)."""
        client = self.client()
        return client.llen("celery") == 0 and client.hlen("unacked") == 0

    def start(self) -> None:
        command = [
            devstack.redis_server_binary(), "--bind", "127.0.0.1", "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--dir", str(self.log_dir),
        ]  # fmt: skip
        self.process = Process("redis", command, env=dict(os.environ), log_dir=self.log_dir)
        wait_for(lambda: devstack.redis_answers(self.port), f"Redis on port {self.port}")

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process = None


class PostgresServer:
    """A PostgreSQL cluster of its own, made by initdb in a directory user postgres owns."""

    def __init__(self):
        self.bin = devstack.postgres_bin_dir()
        # Under /tmp rather than pytest's tmp_path, which user postgres cannot reach.
        self.dir = Path(tempfile.mkdtemp(prefix="drill-postgres-"))
        if devstack.is_root():
            shutil.chown(self.dir, "postgres", "postgres")
        self.data, self.port = self.dir / "data", ephemeral_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _as_postgres(self, program: str, *args: str) -> str:
        return run(devstack.as_postgres_user([str(self.bin / program), *args]))

    def start(self) -> None:
        self._as_postgres(
            "initdb", f"--pgdata={self.data}", "--auth=trust", "--username=postgres",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg_ctl("start", f"--options={options}")

    def restart(self) -> None:
        """Fast mode, as an upgrade or a failover does: open sessions are cut off."""
        self._pg_ctl("restart", "--mode=fast")

    def _pg_ctl(self, action: str, *args: str) -> None:
        log = f"--log={self.dir / 'server.log'}"
        self._as_postgres("pg_ctl", action, "--wait", f"--pgdata={self.data}", log, *args)

    def copy_database(self, source: dict, name: str) -> str:
        """Copy a database of another server (Django's settings_dict) here; return its URL."""
        self._as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), name)
        server = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)]
        pg_dump = [str(self.bin / "pg_dump"), "--no-owner", *server, "-U", source["USER"]]
        dump = run([*pg_dump, source["NAME"]], env={**os.environ, "PGPASSWORD": source["PASSWORD"]})
        psql = [str(self.bin / "psql"), "-v", "ON_ERROR_STOP=1", "-q", self.url(name)]
        run(psql, input=dump)
        return self.url(name)

    def query(self, database: str, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError):
            self._as_postgres("pg_ctl", "stop", "--mode=immediate", f"--pgdata={self.data}")
        shutil.rmtree(self.dir, ignore_errors=True)


class Stack:
    """gunicorn and Celery workers configured through the environment, as in production, with
    files on disk and emails written to files so that the test can count them."""

    def __init__(self, *, database_url: str, redis_url: str, secret_key: str, directory: Path):
        self.directory, self.web_port, self.processes = directory, ephemeral_port(), []
        (directory / "mail").mkdir()
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env = {
            **inherited, "DJANGO_SETTINGS_MODULE": "recruitment.settings", "PYTHONUNBUFFERED": "1",
            "DEBUG": "true", "SECRET_KEY": secret_key, "DATABASE_URL": database_url,
            "REDIS_URL": redis_url, "SITE_URL": self.url, "MEDIA_ROOT": str(directory / "media"),
            "EMAIL_URL": f"filemail:///{directory / 'mail'}",
        }  # fmt: skip

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_web(self) -> Process:
        gunicorn = [
            str(devstack.VENV_BIN / "gunicorn"), "recruitment.wsgi", "--workers", "1",
            "--bind", f"127.0.0.1:{self.web_port}", "--timeout", "60",
        ]  # fmt: skip
        web = self._start("web", gunicorn)
        wait_for(self._answers, "gunicorn to serve", logs=self.logs)
        return web

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            return False

    def start_worker(self) -> Process:
        name = f"worker{sum(p.name.startswith('worker') for p in self.processes) + 1}"
        celery = [
            str(devstack.VENV_BIN / "celery"), "-A", "recruitment", "worker", "--pool", "prefork",
            "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "INFO", "--hostname", f"{name}@drill",
        ]  # fmt: skip
        worker = self._start(name, celery)
        wait_for(lambda: " ready." in worker.output(), f"{name} to be ready", logs=self.logs)
        return worker

    def _start(self, name: str, command: list[str]) -> Process:
        process = Process(name, command, env=self.env, log_dir=self.directory)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            process.kill()

    def logs(self) -> str:
        return "".join(
            f"\n--- {p.name} (last lines) ---\n" + "\n".join(p.output().splitlines()[-40:])
            for p in self.processes
        )

    def mail_subjects(self) -> list[str]:
        """Subjects of the emails sent so far (first line of each, when folded)."""
        return [
            subject
            for path in sorted((self.directory / "mail").iterdir())
            for subject in re.findall(r"^Subject: (.*)$", path.read_text(), flags=re.MULTILINE)
        ]

    def sign_in(self, email: str) -> requests.Session:
        """The real login form, as a browser fills it in."""
        session = requests.Session()
        session.get(f"{self.url}/accounts/login/", timeout=30).raise_for_status()
        response = self.post(session, "/accounts/login/", {"login": email, "password": PASSWORD})
        assert response.url.rstrip("/") != f"{self.url}/accounts/login", response.text[:2000]
        return session

    def post(self, session: requests.Session, path: str, data: dict, files=None):
        token = session.cookies["csrftoken"]
        data = {"csrfmiddlewaretoken": token, **data}
        response = session.post(self.url + path, data=data, files=files, timeout=60)
        response.raise_for_status()
        return response

    def submit_candidate(self, session, *, assignment, email: str, resume: tuple[str, bytes]):
        """The agency portal's Submit form, with a resume; returns the page it leads to."""
        session.get(f"{self.url}/agency/submit/", timeout=30).raise_for_status()
        fields = {"first_name": "Jane", "last_name": "Roe", "email": email, "phone": "",
                  "assignment": str(assignment.pk), "note": "Fault drill"}  # fmt: skip
        return self.post(session, "/agency/submit/", fields, files={"resume": resume})
