"""Local development stack: PostgreSQL, Redis, Chromium and the `make run` supervisor.

Run as `.venv/bin/python -m devtools.devstack <command>` (the Makefile does):

    env [--port N]   ensure PostgreSQL, Redis and the resume parser's Debian packages (OCR,
                     LibreOffice), print `export` lines (also written to .run/env)
    run [--port N]   migrate, seed_demo, then web + Celery worker + Celery beat in the foreground,
                     each output line prefixed with its process name; Ctrl-C, SIGTERM or SIGHUP
                     (to it or its process group) stops all three, and so does its own death
    stop             stop the private servers that `env` started under .run/
    chromium         ensure a Chromium for the browser tests, print the CHROMIUM_PATH export line
                     (also written to .run/chromium.env); empty means Playwright's own Chromium

Which server `env` picks, for PostgreSQL and Redis alike:
  1. DATABASE_URL / REDIS_URL when set;
  2. else the machine's server on its default port: 127.0.0.1:5432 accepting user postgres
     without a password, 127.0.0.1:6379 answering PING;
  3. else a private server under .run/ on a free port (from 54329 / 63790), installed from
     Debian's packages when absent, and reused while it runs.
Set DEVSTACK_NO_SYSTEM_SERVICES=1 to skip step 2 and force the private servers.
DEBUG, SECRET_KEY, SITE_URL and ALLOWED_HOSTS keep the caller's values when set.

Status lines go to stderr so that stdout holds only the export lines.
Standard library only, so `python3 devtools/devstack.py stop` works without the venv.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
RUN_DIR = PROJECT_DIR / ".run"
POSTGRES_DIR = RUN_DIR / "postgres"
POSTGRES_DATA = POSTGRES_DIR / "data"
REDIS_DIR = RUN_DIR / "redis"
DATABASE_NAME = "recruitment"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
DEV_SECRET_KEY = "django-insecure-local-development-only-never-use-this-key-in-production"
STOP_GRACE_SECONDS = 10


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def is_root() -> bool:
    return os.geteuid() == 0


def run_quietly(command: list[str], what: str) -> None:
    """Run a command, showing its output only when it fails."""
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.exit(f"{result.stdout}devstack: {what} failed: {shlex.join(command)}")


def wait_until(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"devstack: timed out waiting for {what}")
        time.sleep(0.1)


# --- Network probes ---------------------------------------------------------------------------


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def free_port(first: int) -> int:
    for port in range(first, first + 100):
        with socket.socket() as sock:
            # As the servers themselves do, so that connections in TIME_WAIT don't count.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"devstack: no free port in {first}-{first + 99}")


def use_system_services() -> bool:
    return os.environ.get("DEVSTACK_NO_SYSTEM_SERVICES", "") in ("", "0")


# --- Debian packages --------------------------------------------------------------------------


def apt_get(*args: str) -> bool:
    sudo = ["sudo"] if not is_root() and shutil.which("sudo") else []
    command = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", *args]
    log("$ " + shlex.join(command))
    return subprocess.run(command, stdout=sys.stderr, stdin=subprocess.DEVNULL).returncode == 0


def apt_install(*packages: str) -> bool:
    """Install Debian packages, refreshing the package lists first when they are empty or stale."""
    if not shutil.which("apt-get"):
        return False
    if not glob.glob("/var/lib/apt/lists/*_Packages*"):
        apt_get("update")
    if apt_get("install", "-y", *packages):
        return True
    return apt_get("update") and apt_get("install", "-y", *packages)


# Run by the resume parser (candidates/parsing): pdftoppm rasterises scanned pages for tesseract;
# LibreOffice converts Word 97, RTF and OpenDocument files.
PARSING_PACKAGES = (
    "poppler-utils",
    "tesseract-ocr",
    "tesseract-ocr-deu",
    "tesseract-ocr-fra",
    "tesseract-ocr-spa",
    "tesseract-ocr-nld",
    "libreoffice-writer-nogui",
)


def missing_packages(packages: tuple[str, ...]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    query = ["dpkg-query", "--show", "--showformat", "${Package} ${db:Status-Status}\n", *packages]
    listed = subprocess.run(query, capture_output=True, text=True).stdout.split("\n")
    installed = {line.split()[0] for line in listed if line.endswith(" installed")}
    return [package for package in packages if package not in installed]


def ensure_parsing_tools() -> None:
    missing = missing_packages(PARSING_PACKAGES)
    if missing and not apt_install("--no-install-recommends", *missing):
        log(f"devstack: could not install {' '.join(missing)}; some resumes will not be read")


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_version(initdb: str) -> list[int]:
    return [int(number) for number in Path(initdb).parts[-3].split(".")]


def find_postgres_bin_dir() -> Path | None:
    initdbs = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    newest = max(initdbs, key=postgres_version, default=None)
    return Path(newest).parent if newest else None


def postgres_bin_dir() -> Path:
    if find_postgres_bin_dir() is None:
        apt_install("postgresql", "postgresql-contrib")
    bin_dir = find_postgres_bin_dir()
    if bin_dir is None:
        sys.exit("devstack: no PostgreSQL in /usr/lib/postgresql and apt-get could not install it")
    return bin_dir


def as_postgres_user(command: list[str]) -> list[str]:
    # initdb, pg_ctl and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if is_root() else command


def postgres_conninfo(port: int) -> str:
    return f"host=127.0.0.1 port={port} user=postgres dbname=postgres connect_timeout=3"


def postgres_query(port: int, sql: str) -> str | None:
    """First value of the result as user postgres without a password; None if that fails."""
    try:
        import psycopg
    except ImportError:
        return psql_query(port, sql)
    try:
        with psycopg.connect(postgres_conninfo(port), autocommit=True) as connection:
            cursor = connection.execute(sql)
            row = cursor.fetchone() if cursor.description else None
    except psycopg.Error:
        return None
    return "" if row is None else str(row[0])


def psql_query(port: int, sql: str) -> str | None:
    psql = shutil.which("psql")
    if psql is None and (bin_dir := find_postgres_bin_dir()):
        psql = str(bin_dir / "psql")
    if psql is None:
        return None
    command = [psql, "--no-password", "--no-psqlrc", "-tAqc", sql, postgres_conninfo(port)]
    result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return result.stdout.strip().partition("\n")[0] if result.returncode == 0 else None


def postgres_answers(port: int) -> bool:
    return accepts_connections(port) and postgres_query(port, "select 1") == "1"


def ensure_database(port: int) -> None:
    count_sql = f"select count(*) from pg_database where datname = '{DATABASE_NAME}'"
    if postgres_query(port, count_sql) == "0":
        postgres_query(port, f'create database "{DATABASE_NAME}"')
    if postgres_query(port, count_sql) != "1":
        sys.exit(f"devstack: could not find or create database {DATABASE_NAME} on port {port}")


def running_private_postgres_port() -> int | None:
    try:
        # Line 4 of postmaster.pid is the port the server listens on.
        port = int((POSTGRES_DATA / "postmaster.pid").read_text().splitlines()[3])
    except (OSError, IndexError, ValueError):
        return None
    return port if postgres_answers(port) else None


def init_private_postgres(bin_dir: Path) -> None:
    shutil.rmtree(POSTGRES_DATA, ignore_errors=True)  # leftovers of an interrupted initdb
    POSTGRES_DIR.mkdir(parents=True, exist_ok=True)
    what = "initdb"
    if is_root():
        # The socket lives in POSTGRES_DIR too: postgres must own it to create its lock file.
        shutil.chown(POSTGRES_DIR, "postgres", "postgres")
        what = f"initdb as user postgres (who must be able to reach {POSTGRES_DIR})"
    initdb = [
        str(bin_dir / "initdb"),
        f"--pgdata={POSTGRES_DATA}",
        "--auth=trust",
        "--username=postgres",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    ]
    run_quietly(as_postgres_user(initdb), what)
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{POSTGRES_DIR}'",
        # Throwaway dev/test data: durability is not worth the slower writes.
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    with (POSTGRES_DATA / "postgresql.conf").open("a") as conf:
        conf.write("\n# recruitment devstack\n")
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())


def start_private_postgres() -> int:
    bin_dir = postgres_bin_dir()
    if not (POSTGRES_DATA / "PG_VERSION").exists():
        init_private_postgres(bin_dir)
    port = free_port(54329)
    pg_ctl = [
        str(bin_dir / "pg_ctl"),
        "start",
        "--wait",
        "--timeout=60",
        f"--pgdata={POSTGRES_DATA}",
        f"--log={POSTGRES_DIR / 'server.log'}",
        f"--options=-p {port}",
    ]
    run_quietly(as_postgres_user(pg_ctl), f"PostgreSQL start (see {POSTGRES_DIR / 'server.log'})")
    return port


def stop_private_postgres() -> None:
    bin_dir = find_postgres_bin_dir()
    if bin_dir is None or running_private_postgres_port() is None:
        return
    pg_ctl = [str(bin_dir / "pg_ctl"), "stop", "--wait", "--mode=fast", f"--pgdata={POSTGRES_DATA}"]
    run_quietly(as_postgres_user(pg_ctl), "PostgreSQL stop")
    log("PostgreSQL: private server stopped")


def ensure_postgres() -> str:
    if url := os.environ.get("DATABASE_URL"):
        log("PostgreSQL: DATABASE_URL from the environment")
        return url
    if use_system_services() and postgres_answers(5432):
        port, origin = 5432, "the machine's server on 127.0.0.1:5432"
    elif port := running_private_postgres_port():
        origin = f"private server under .run/postgres on port {port} (already running)"
    else:
        port = start_private_postgres()
        origin = f"private server under .run/postgres on port {port} (started)"
    ensure_database(port)
    log(f"PostgreSQL: {origin}, database {DATABASE_NAME}")
    return f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}"


# --- Redis ------------------------------------------------------------------------------------


def redis_reply(port: int, command: bytes) -> bytes:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(command + b"\r\n")
            return sock.recv(64)
    except OSError:
        return b""


def redis_answers(port: int) -> bool:
    return redis_reply(port, b"PING").startswith(b"+PONG")


def running_private_redis_port() -> int | None:
    try:
        port = int((REDIS_DIR / "port").read_text())
    except (OSError, ValueError):
        return None
    return port if redis_answers(port) else None


def redis_server_binary() -> str:
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("devstack: redis-server not found and apt-get could not install it")
    return redis_server


def start_private_redis() -> int:
    redis_server = redis_server_binary()
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port = free_port(63790)
    options = {
        "daemonize": "yes",
        "bind": "127.0.0.1",
        "port": port,
        "save": "",  # keep nothing on disk
        "appendonly": "no",
        "dir": REDIS_DIR,
        "pidfile": REDIS_DIR / "redis.pid",
        "logfile": REDIS_DIR / "redis.log",
    }
    command = [redis_server]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    run_quietly(command, "redis-server")
    (REDIS_DIR / "port").write_text(f"{port}\n")
    wait_until(lambda: redis_answers(port), f"Redis on port {port}")
    return port


def stop_private_redis() -> None:
    port = running_private_redis_port()
    if port is None:
        return
    redis_reply(port, b"SHUTDOWN NOSAVE")
    wait_until(lambda: not accepts_connections(port), "Redis to stop")
    log("Redis: private server stopped")


def ensure_redis() -> str:
    if url := os.environ.get("REDIS_URL"):
        log("Redis: REDIS_URL from the environment")
        return url
    if use_system_services() and redis_answers(6379):
        port, origin = 6379, "the machine's server on 127.0.0.1:6379"
    elif port := running_private_redis_port():
        origin = f"private server under .run/redis on port {port} (already running)"
    else:
        port = start_private_redis()
        origin = f"private server under .run/redis on port {port} (started)"
    log(f"Redis: {origin}")
    return f"redis://127.0.0.1:{port}/0"


# --- Chromium ---------------------------------------------------------------------------------


def ensure_chromium() -> str:
    """The CHROMIUM_PATH for the browser tests; empty means Playwright's own Chromium."""
    wanted = os.environ.get("CHROMIUM_PATH")
    if wanted and os.access(wanted, os.X_OK):
        return wanted
    if os.access(DEBIAN_CHROMIUM, os.X_OK) or apt_install("chromium"):
        log(f"Chromium: {DEBIAN_CHROMIUM}")
        return DEBIAN_CHROMIUM
    # No Debian package here (Ubuntu, for one, only has a snap).
    log("Chromium: no chromium package, installing Playwright's own build")
    playwright = [str(VENV_BIN / "playwright"), "install", "--with-deps", "chromium"]
    subprocess.run(playwright, check=True, stdout=sys.stderr)
    return ""


# --- Exports ----------------------------------------------------------------------------------


def publish_exports(filename: str, variables: dict[str, str]) -> None:
    text = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in variables.items())
    RUN_DIR.mkdir(exist_ok=True)
    (RUN_DIR / filename).write_text(text)
    sys.stdout.write(text)


def dev_environment(port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": ensure_postgres(),
        "REDIS_URL": ensure_redis(),
        "DEBUG": os.environ.get("DEBUG", "true"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{port}"),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
    }


# --- make run ---------------------------------------------------------------------------------


def run_step(command: list[str]) -> None:
    if subprocess.run(command).returncode != 0:
        sys.exit(f"devstack: failed: {shlex.join(command)}")


# Every way of stopping the supervisor stops what it started: these signals stop it in order
# (SIGHUP is a terminal closing; a service manager sends SIGTERM), and SIGKILL, which cannot be
# caught, reaches each child as SIGTERM through PR_SET_PDEATHSIG.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int):
    """A preexec_fn: the kernel sends the child SIGTERM when the supervisor dies (Linux)."""

    def set_death_signal() -> None:
        with contextlib.suppress(OSError, AttributeError):  # not Linux: the signals above only
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before the call above
            os._exit(1)

    return set_death_signal


def start_process(command: list[str]) -> subprocess.Popen:
    # A session of its own keeps the terminal's Ctrl-C away from the child, so that the
    # supervisor alone decides how and in which order everything stops.
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
        preexec_fn=die_with_parent(os.getpid()),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


class Output:
    """The supervisor's terminal, which may go away (closed window, broken pipe): then the lines
    are dropped, and the children's output is still read so that none of them blocks."""

    def __init__(self):
        self.lock, self.gone = threading.Lock(), False

    def write(self, text: str, stream=None) -> None:
        with self.lock:
            if self.gone:
                return
            try:
                print(text, file=stream or sys.stdout, flush=True)
            except (OSError, ValueError):
                self.gone = True


def copy_with_prefix(stream, prefix: str, output: Output) -> None:
    for line in stream:
        text = line.rstrip("\n")
        output.write(f"{prefix} | {text}")


def signal_group(process: subprocess.Popen, signum: int) -> None:
    # The whole group, so that runserver's autoreloader child and Celery's pool go too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop_all(processes: dict[str, subprocess.Popen], force: threading.Event) -> None:
    """SIGINT, as Ctrl-C in a terminal sends; SIGKILL after the grace period or a 2nd signal."""
    for process in processes.values():
        signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while any(p.poll() is None for p in processes.values()):
        if force.is_set() or time.monotonic() > deadline:
            for process in processes.values():
                signal_group(process, signal.SIGKILL)
        time.sleep(0.1)


def supervise(commands: dict[str, list[str]], web_port: int) -> int:
    """Run the commands until a signal arrives (exit 0) or one of them exits (exit 1)."""
    stop_requested, force = threading.Event(), threading.Event()

    def on_signal(signum, frame):
        (force if stop_requested.is_set() else stop_requested).set()

    for signum in STOP_SIGNALS:
        signal.signal(signum, on_signal)

    output = Output()
    width = max(map(len, commands))
    processes = {name: start_process(command) for name, command in commands.items()}
    readers = [
        threading.Thread(target=copy_with_prefix, args=(p.stdout, name.ljust(width), output))
        for name, p in processes.items()
    ]
    for reader in readers:
        reader.start()

    announced, exited = False, []
    while not stop_requested.is_set():
        exited = [name for name, p in processes.items() if p.poll() is not None]
        if exited:
            break
        if not announced and accepts_connections(web_port):
            output.write(f"\n  Portal running at http://127.0.0.1:{web_port}/  (Ctrl-C stops)\n")
            announced = True
        stop_requested.wait(0.2)

    stop_all(processes, force)
    for reader in readers:
        reader.join()
    if stop_requested.is_set():
        return 0
    for name in exited:
        status = processes[name].returncode
        output.write(
            f"devstack: {name} exited with status {status}; stopped the others", sys.stderr
        )
    return 1


def run(port: int) -> int:
    if "DATABASE_URL" not in os.environ:
        sys.exit("devstack: run needs the environment written by `env` (use `make run`)")
    manage = [str(VENV_BIN / "python"), "manage.py"]
    celery = [str(VENV_BIN / "celery"), "-A", "recruitment"]
    run_step([*manage, "migrate", "--noinput"])
    run_step([*manage, "seed_demo"])
    commands = {
        "web": [*manage, "runserver", f"127.0.0.1:{port}"],
        "worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
        "beat": [*celery, "beat", "-l", "info", f"--schedule={RUN_DIR / 'celerybeat-schedule'}"],
    }
    return supervise(commands, web_port=port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.devstack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["env", "run", "stop", "chromium"])
    parser.add_argument("--port", type=int, default=8000, help="web port (default 8000)")
    args = parser.parse_args(argv)
    os.chdir(PROJECT_DIR)

    try:
        if args.command == "env":
            ensure_parsing_tools()
            publish_exports("env", dev_environment(args.port))
        elif args.command == "run":
            return run(args.port)
        elif args.command == "stop":
            stop_private_postgres()
            stop_private_redis()
        elif args.command == "chromium":
            publish_exports("chromium.env", {"CHROMIUM_PATH": ensure_chromium()})
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
