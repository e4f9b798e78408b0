"""Running vendors' real servers for the tests: each in a cached virtualenv of its own, on loopback.

A server's packages never enter the generator's ``.venv``: each server gets a virtualenv built from
its pinned requirements file, kept under the user's cache directory and keyed by a hash of that
file and of the Python version, so it is built once and reused until either changes.

The virtualenv is built in a temporary directory beside its final place and renamed into place
only when the install has succeeded, so a half-built one is never taken for a good one. Because of
that rename, console scripts (whose shebangs name the temporary path) are never used: everything
runs as ``<venv>/bin/python -m ...``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
LANGGRAPH_REQUIREMENTS = HERE / "langgraph-requirements.txt"
LANGGRAPH_APP = HERE / "langgraph_app"
LANGGRAPH_GRAPH_ID = "sleeper"
AGNO_REQUIREMENTS = HERE / "agno-requirements.txt"
AGNO_APP = HERE / "agno_app"
AGNO_WORKFLOW_ID = "slow-workflow"

# pip may take a while on a slow mirror; a hung install must still end.
INSTALL_TIMEOUT = 900.0
# Run statuses after which a run no longer changes, for each server.
LANGGRAPH_DONE = frozenset({"success", "error", "interrupted", "timeout"})
AGNO_DONE = frozenset({"COMPLETED", "CANCELLED", "ERROR", "PAUSED"})


class ServerSetupError(RuntimeError):
    """A real server could not be installed or started; the message says what and why."""


# --- virtualenvs ---------------------------------------------------------------------------------


def cache_root() -> Path:
    """Where the servers' virtualenvs live: ``$XDG_CACHE_HOME`` (or ``~/.cache``)/runcancel-generator/real-servers."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "runcancel-generator" / "real-servers"


def python_tag() -> str:
    """The interpreter a virtualenv is built for, as part of its cache key."""
    info = sys.version_info
    return f"{sys.implementation.name}-{info.major}.{info.minor}.{info.micro}"


def venv_key(requirements: Path) -> str:
    """A short hash of the requirements file's bytes and the Python version."""
    digest = hashlib.sha256()
    digest.update(python_tag().encode())
    digest.update(b"\0")
    digest.update(requirements.read_bytes())
    return digest.hexdigest()[:16]


_RESOLVED_MARKER = "# --- resolved"


def requirement_names(requirements: Path) -> list[str]:
    """The requirements a file asks for itself (above its resolved dependencies), for messages."""
    names: list[str] = []
    for line in requirements.read_text().splitlines():
        if line.startswith(_RESOLVED_MARKER):
            break
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


@dataclass(frozen=True)
class Venv:
    """A ready virtualenv of a server's packages."""

    path: Path
    built_seconds: float | None  # how long building it took, or None when it was reused

    @property
    def python(self) -> Path:
        """The virtualenv's interpreter."""
        return self.path / "bin" / "python"


_MARKER = ".runcancel-complete"


def ensure_venv(name: str, requirements: Path, *, root: Path | None = None) -> Venv:
    """The virtualenv for ``requirements``, built on first use and reused afterwards.

    Raises :class:`ServerSetupError`, naming the requirements, when the install fails.
    """
    root = root or cache_root()
    final = root / f"{name}-{venv_key(requirements)}"
    if (final / _MARKER).is_file() and (final / "bin" / "python").exists():
        return Venv(final, None)
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    building = Path(tempfile.mkdtemp(prefix=f".{name}-building-", dir=root))
    try:
        _run_install([sys.executable, "-m", "venv", str(building)], name, requirements, "create the virtualenv")
        pip = [str(building / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--no-input"]
        _run_install([*pip, "install", "--quiet", "-r", str(requirements)], name, requirements, "pip install")
        (building / _MARKER).write_text(f"{python_tag()}\n{requirements.name}\n")
        try:
            building.rename(final)
        except OSError:
            # Another process finished the same virtualenv first: theirs is as good as ours.
            if not (final / _MARKER).is_file():
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return Venv(final, time.monotonic() - started)


def _run_install(command: Sequence[str], name: str, requirements: Path, what: str) -> None:
    env = _clean_env({})
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=INSTALL_TIMEOUT, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ServerSetupError(
            f"{name}: {what} did not finish in {INSTALL_TIMEOUT:.0f} s; could not install "
            f"{', '.join(requirement_names(requirements))} (pinned in {requirements.name})"
        ) from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        # pip's ERROR lines name the package that failed; its warnings only bury them.
        tail = "\n".join([line for line in said if line.startswith("ERROR")] or said[-15:])
        raise ServerSetupError(
            f"{name}: {what} failed (exit {done.returncode}); could not install "
            f"{', '.join(requirement_names(requirements))} (pinned with their dependencies in {requirements.name}). "
            f"Is PyPI reachable? pip said:\n{tail}"
        )


def _clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for a server's process, without what would make it use the generator's packages."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Running:
    """A server process started by :func:`serve`."""

    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's output, for failure messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@contextmanager
def serve(
    name: str,
    command: Sequence[str],
    *,
    cwd: Path,
    port: int,
    env: Mapping[str, str],
    ready_path: str,
    timeout: float,
) -> Iterator[Running]:
    """Start ``command`` in its own process group, wait until ``ready_path`` answers 200, stop it afterwards."""
    log = cwd / f"{name}-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=_clean_env(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Running(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(name, running, ready_path, timeout)
        yield running
    finally:
        _stop(process)


def _wait_ready(name: str, running: Running, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise ServerSetupError(
                f"{name} exited with {running.process.returncode} before answering; its output:\n{running.log_tail()}"
            )
        try:
            if httpx.get(running.base_url + ready_path, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise ServerSetupError(
        f"{name} did not answer {ready_path} within {timeout:.0f} s; its output:\n{running.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started: the whole process group, politely first."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            # The leader may be gone while children still hold the port; one more look at the group.
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    if process.poll() is None:
        process.wait(timeout=5)


def _copy_app(app: Path, into: Path) -> Path:
    """A private copy of an app directory: servers write state and caches beside their code."""
    target = into / app.name
    shutil.copytree(app, target, ignore=shutil.ignore_patterns("__pycache__", ".langgraph_api"))
    return target


# --- polling -------------------------------------------------------------------------------------


def wait_for(what: str, probe: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 15.0) -> Any:
    """Call ``probe`` every 0.1 s until ``done`` accepts its result; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still {value!r} after {timeout:.0f} s")
        time.sleep(0.1)
        value = probe()
    return value


# --- LangGraph ------------------------------------------------------------------------------------


@dataclass
class LangGraphServer:
    """A running ``langgraph dev`` with the ``sleeper`` graph, and helpers to drive its state."""

    base_url: str
    api_key: str
    process: Running
    venv: Venv
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, headers={"x-api-key": self.api_key}, timeout=10.0)

    def create_thread(self) -> str:
        """A new thread's id."""
        answer = self.http.post("/threads", json={})
        answer.raise_for_status()
        thread_id: str = answer.json()["thread_id"]
        return thread_id

    def start_run(self, thread_id: str, *, seconds: float = 8.0, enqueue: bool = False) -> str:
        """Start a background run of the graph on a thread; its id.

        ``enqueue`` queues it behind a run already active on the thread (it stays ``pending``).
        """
        payload: dict[str, Any] = {"assistant_id": LANGGRAPH_GRAPH_ID, "input": {"seconds": seconds}}
        if enqueue:
            payload["multitask_strategy"] = "enqueue"
        answer = self.http.post(f"/threads/{thread_id}/runs", json=payload)
        answer.raise_for_status()
        run_id: str = answer.json()["run_id"]
        return run_id

    def run(self, thread_id: str, run_id: str) -> httpx.Response:
        """The server's answer for one run (200 with the run, or 404 once it is gone)."""
        return self.http.get(f"/threads/{thread_id}/runs/{run_id}")

    def status(self, thread_id: str, run_id: str) -> str | None:
        """A run's status, or None when the server no longer has it."""
        answer = self.run(thread_id, run_id)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        status: str = answer.json()["status"]
        return status

    def wait_status(
        self, thread_id: str, run_id: str, wanted: Callable[[str | None], bool], timeout: float = 15.0
    ) -> str | None:
        """Poll a run's status until ``wanted`` accepts it."""
        return wait_for(f"run {run_id}", lambda: self.status(thread_id, run_id), wanted, timeout)  # type: ignore[no-any-return]

    def finished_run(self, thread_id: str) -> str:
        """A run that has already finished successfully."""
        run_id = self.start_run(thread_id, seconds=0)
        self.wait_status(thread_id, run_id, lambda s: s in LANGGRAPH_DONE)
        return run_id

    def running_run(self, thread_id: str, seconds: float = 8.0) -> str:
        """A run the worker has picked up and is executing."""
        run_id = self.start_run(thread_id, seconds=seconds)
        self.wait_status(thread_id, run_id, lambda s: s == "running")
        return run_id

    def settle(self, timeout: float = 20.0) -> None:
        """Cancel whatever is still active, so one test's runs do not become the next one's."""
        self.http.post("/runs/cancel", json={"status": "all"})
        wait_for(
            "active runs",
            lambda: [r["run_id"] for s in ("pending", "running") for r in self._search(s)],
            lambda active: not active,
            timeout,
        )

    def _search(self, status: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        threads = self.http.post("/threads/search", json={"limit": 1000}).json()
        for thread in threads:
            answer = self.http.get(f"/threads/{thread['thread_id']}/runs", params={"status": status})
            if answer.status_code == 200:
                found.extend(answer.json())
        return found

    def close(self) -> None:
        """Close the helper's HTTP connections."""
        self.http.close()


@contextmanager
def langgraph_server(workdir: Path) -> Iterator[LangGraphServer]:
    """Install (once) and run ``langgraph dev`` on a free loopback port, serving the test graph."""
    # A fresh key each time, so nothing else on the machine can know it.
    api_key = secrets.token_urlsafe(16)
    venv = ensure_venv("langgraph", LANGGRAPH_REQUIREMENTS)
    app = _copy_app(LANGGRAPH_APP, workdir)
    port = free_port()
    command = [
        str(venv.python),
        "-m",
        "langgraph_cli",
        "dev",
        "--no-browser",
        "--no-reload",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n-jobs-per-worker",
        "4",
    ]
    env = {
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGSMITH_TRACING": "false",
        "LANGCHAIN_TRACING_V2": "false",
        "RUNCANCEL_TEST_API_KEY": api_key,
    }
    # The first start imports a lot and compiles the graph: allow a minute.
    with serve("langgraph", command, cwd=app, port=port, env=env, ready_path="/ok", timeout=60.0) as running:
        server = LangGraphServer(running.base_url, api_key, running, venv)
        try:
            yield server
        finally:
            server.close()


# --- Agno ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgnoRun:
    """A workflow run as the tests know it: Agno reads a run back only with its session."""

    run_id: str
    session_id: str


@dataclass
class AgnoServer:
    """A running AgentOS with the ``slow-workflow`` workflow, and helpers to drive its state."""

    base_url: str
    token: str
    process: Running
    venv: Venv
    workflow_id: str = AGNO_WORKFLOW_ID
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {self.token}"}, timeout=10.0
        )

    def start_run(self, seconds: float | str = 8.0) -> AgnoRun:
        """Start a background, non-streamed run; ``"quick"`` finishes at once."""
        answer = self.http.post(
            f"/workflows/{self.workflow_id}/runs",
            data={"message": str(seconds), "stream": "false", "background": "true"},
        )
        answer.raise_for_status()
        body = answer.json()
        return AgnoRun(body["run_id"], body["session_id"])

    def run(self, run: AgnoRun) -> httpx.Response:
        """The server's answer for one run."""
        return self.http.get(f"/workflows/{self.workflow_id}/runs/{run.run_id}", params={"session_id": run.session_id})

    def status(self, run: AgnoRun) -> str | None:
        """A run's status (``PENDING``, ``RUNNING``, ``COMPLETED``, ``CANCELLED`` ...), or None if not found."""
        answer = self.run(run)
        if answer.status_code == 404:
            return None
        answer.raise_for_status()
        status: str | None = answer.json().get("status")
        return status

    def wait_status(self, run: AgnoRun, wanted: Callable[[str | None], bool], timeout: float = 15.0) -> str | None:
        """Poll a run's status until ``wanted`` accepts it."""
        return wait_for(f"run {run.run_id}", lambda: self.status(run), wanted, timeout)  # type: ignore[no-any-return]

    def running_run(self, seconds: float = 8.0) -> AgnoRun:
        """A run whose step is executing."""
        run = self.start_run(seconds)
        self.wait_status(run, lambda s: s == "RUNNING")
        return run

    def finished_run(self) -> AgnoRun:
        """A run that has already completed."""
        run = self.start_run("quick")
        self.wait_status(run, lambda s: s in AGNO_DONE)
        return run

    def close(self) -> None:
        """Close the helper's HTTP connections."""
        self.http.close()


@contextmanager
def agno_server(workdir: Path) -> Iterator[AgnoServer]:
    """Install (once) and run the AgentOS test app with uvicorn on a free loopback port."""
    token = secrets.token_urlsafe(16)
    venv = ensure_venv("agno", AGNO_REQUIREMENTS)
    app = _copy_app(AGNO_APP, workdir)
    port = free_port()
    command = [
        str(venv.python),
        "-m",
        "uvicorn",
        "slow_workflow_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    env = {"OS_SECURITY_KEY": token, "AGNO_TELEMETRY": "false"}
    with serve("agno", command, cwd=app, port=port, env=env, ready_path="/health", timeout=60.0) as running:
        server = AgnoServer(running.base_url, token, running, venv)
        try:
            yield server
        finally:
            server.close()
