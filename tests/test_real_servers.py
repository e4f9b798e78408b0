"""The generated clients against the vendors' real servers: LangGraph's agent server and Agno's AgentOS.

Each server runs from a cached virtualenv of its own (see ``tests/real_servers``), on loopback, for
the length of this module. The tests cancel runs with the generated ``langsmith_client`` and
``agno_client`` and then read the run back from the server, so they check what the server did, not
only what it answered. ``tests/real_servers/OBSERVED.md`` records the behaviour these tests pin.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import agno_client
import langsmith_client
import pydantic
import pytest
import runcancel

from tests.real_servers import (
    AGNO_DONE,
    AGNO_REQUIREMENTS,
    LANGGRAPH_DONE,
    LANGGRAPH_REQUIREMENTS,
    AgnoServer,
    LangGraphServer,
    ServerSetupError,
    agno_server,
    cache_root,
    ensure_venv,
    langgraph_server,
    venv_key,
)

pytestmark = pytest.mark.slow

FINISHED_NOT_CANCELLABLE = "No matching runs to cancel"
NOTHING_TO_CANCEL = "No runs found to cancel."


def _done(status: str | None) -> bool:
    return status in LANGGRAPH_DONE


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def langgraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LangGraphServer]:
    """The LangGraph agent server, installed once per cache and started once per module."""
    problem = None
    try:
        with langgraph_server(tmp_path_factory.mktemp("langgraph")) as server:
            yield server
    except ServerSetupError as exc:
        problem = str(exc)
    if problem is not None:
        # Not a skip: a missing server would otherwise pass unnoticed.
        pytest.fail(f"the real LangGraph server is not available: {problem}", pytrace=False)


@pytest.fixture(scope="module")
def agno(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgnoServer]:
    """Agno's AgentOS, installed once per cache and started once per module."""
    problem = None
    try:
        with agno_server(tmp_path_factory.mktemp("agno")) as server:
            yield server
    except ServerSetupError as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(f"the real Agno AgentOS is not available: {problem}", pytrace=False)


@pytest.fixture
def lg(langgraph: LangGraphServer) -> Iterator[LangGraphServer]:
    """The LangGraph server with nothing active before and after the test."""
    langgraph.settle()
    yield langgraph
    langgraph.settle()


@pytest.fixture
def ls_client(langgraph: LangGraphServer) -> Iterator[langsmith_client.Client]:
    """The generated LangSmith Deployment client, with the server's key."""
    with langsmith_client.Client(base_url=langgraph.base_url, api_key=langgraph.api_key, timeout=10.0) as client:
        yield client


@pytest.fixture
def agno_api(agno: AgnoServer) -> Iterator[agno_client.Client]:
    """The generated Agno client, with the server's bearer token."""
    with agno_client.Client(base_url=agno.base_url, token=agno.token, timeout=10.0) as client:
        yield client


# --- LangGraph: cancel by ids -----------------------------------------------------------------------


def test_langgraph_cancel_running_run_interrupts_it(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    assert ls_client.cancel_runs_post(thread_id=thread, run_ids=[run]) is None  # 204, no body

    assert lg.wait_status(thread, run, _done) == "interrupted"


def test_langgraph_cancel_with_a_body_model(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    ls_client.cancel_runs_post(body=langsmith_client.models.RunsCancel(thread_id=thread, run_ids=[run]))

    assert lg.wait_status(thread, run, _done) == "interrupted"


def test_langgraph_cancel_finished_run_is_404(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.finished_run(thread)

    with pytest.raises(langsmith_client.errors.NotFoundError) as caught:
        ls_client.cancel_runs_post(thread_id=thread, run_ids=[run])

    assert caught.value.parsed is not None
    assert caught.value.parsed.detail.startswith(FINISHED_NOT_CANCELLABLE)
    assert lg.status(thread, run) == "success"


@pytest.mark.parametrize("known_thread", [True, False], ids=["known-thread", "unknown-thread"])
def test_langgraph_cancel_unknown_run_is_404(
    lg: LangGraphServer, ls_client: langsmith_client.Client, known_thread: bool
) -> None:
    thread = lg.create_thread() if known_thread else str(uuid.uuid4())

    with pytest.raises(langsmith_client.errors.NotFoundError) as caught:
        ls_client.cancel_runs_post(thread_id=thread, run_ids=[str(uuid.uuid4())])

    assert caught.value.parsed is not None
    assert caught.value.parsed.detail == NOTHING_TO_CANCEL


def test_langgraph_cancel_mixed_ids_cancels_the_running_one(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    finished = lg.finished_run(thread)
    running = lg.running_run(thread)

    # One cancellable run is enough for 204: the finished and unknown ids are passed over silently.
    ls_client.cancel_runs_post(thread_id=thread, run_ids=[running, finished, str(uuid.uuid4())])

    assert lg.wait_status(thread, running, _done) == "interrupted"
    assert lg.status(thread, finished) == "success"


def test_langgraph_cancel_run_of_another_thread_is_404(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread, other = lg.create_thread(), lg.create_thread()
    run = lg.running_run(other)

    with pytest.raises(langsmith_client.errors.NotFoundError):
        ls_client.cancel_runs_post(thread_id=thread, run_ids=[run])

    assert lg.status(other, run) == "running"


def test_langgraph_empty_run_ids_is_404(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    with pytest.raises(langsmith_client.errors.NotFoundError):
        ls_client.cancel_runs_post(thread_id=thread, run_ids=[])

    assert lg.status(thread, run) == "running"


# --- LangGraph: one of thread_id / run_ids alone, and mixed shapes ------------------------------------


@pytest.mark.parametrize("body", ["run_ids", "thread_id"])
def test_langgraph_half_of_the_id_pair_is_refused_by_client_and_server(
    lg: LangGraphServer, ls_client: langsmith_client.Client, body: str
) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)
    payload: dict[str, object] = {"run_ids": [run]} if body == "run_ids" else {"thread_id": thread}

    # The client's model enforces the spec's oneOf, so nothing is sent ...
    with pytest.raises(pydantic.ValidationError):
        ls_client.cancel_runs_post(**payload)  # type: ignore[arg-type]
    # ... and the server agrees: the same body sent by hand is a 422.
    answer = lg.http.post("/runs/cancel", json=payload)
    assert answer.status_code == 422
    assert "oneOf" in answer.json()["detail"]
    assert lg.status(thread, run) == "running"


def test_langgraph_status_with_thread_id_passes_the_client_but_server_answers_422(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    # The spec's oneOf does not forbid thread_id beside status, so the client sends it; the
    # server's own rule refuses it, with a documented 422 the client parses.
    with pytest.raises(langsmith_client.errors.ValidationError) as caught:
        ls_client.cancel_runs_post(status="running", thread_id=thread)

    assert caught.value.parsed is not None
    assert "'status', 'thread_id' and 'run_ids' must be omitted" in caught.value.parsed.detail
    assert lg.status(thread, run) == "running"


def test_langgraph_status_with_both_ids_is_refused_by_the_client(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)
    payload = {"status": "running", "thread_id": thread, "run_ids": [run]}

    with pytest.raises(pydantic.ValidationError):
        ls_client.cancel_runs_post(**payload)  # type: ignore[arg-type]
    answer = lg.http.post("/runs/cancel", json=payload)
    assert answer.status_code == 422
    assert "more than one" in answer.json()["detail"]
    assert lg.status(thread, run) == "running"


# --- LangGraph: cancel by status -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "running", "all"])
def test_langgraph_cancel_by_status_with_nothing_active_is_404(
    lg: LangGraphServer, ls_client: langsmith_client.Client, status: str
) -> None:
    with pytest.raises(langsmith_client.errors.NotFoundError) as caught:
        ls_client.cancel_runs_post(status=status)  # type: ignore[arg-type]

    assert caught.value.parsed is not None
    assert caught.value.parsed.detail == NOTHING_TO_CANCEL


def test_langgraph_cancel_pending_leaves_the_running_run(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)
    queued = lg.start_run(thread, enqueue=True)
    assert lg.status(thread, queued) == "pending"

    ls_client.cancel_runs_post(status="pending")

    assert lg.wait_status(thread, queued, _done) == "interrupted"
    assert lg.status(thread, running) == "running"


def test_langgraph_cancel_running_leaves_the_queued_run(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)
    queued = lg.start_run(thread, enqueue=True)

    ls_client.cancel_runs_post(status="running")

    assert lg.wait_status(thread, running, _done) == "interrupted"
    # The queued run was not touched: it waits or, the thread now free, starts.
    assert lg.status(thread, queued) in {"pending", "running"}


def test_langgraph_cancel_all(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread, other = lg.create_thread(), lg.create_thread()
    running = lg.running_run(thread)
    queued = lg.start_run(thread, enqueue=True)
    elsewhere = lg.running_run(other)

    ls_client.cancel_runs_post(status="all")

    for thread_id, run in ((thread, running), (thread, queued), (other, elsewhere)):
        assert lg.wait_status(thread_id, run, _done) == "interrupted"


# --- LangGraph: rollback, unknown action, credentials -----------------------------------------------


def test_langgraph_rollback_deletes_the_run(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    ls_client.cancel_runs_post(action="rollback", thread_id=thread, run_ids=[run])

    assert lg.wait_status(thread, run, lambda s: s is None) is None  # GET answers 404
    assert lg.http.get(f"/threads/{thread}").status_code == 200  # the thread itself stays


def test_langgraph_rollback_by_status_deletes_the_runs(lg: LangGraphServer, ls_client: langsmith_client.Client) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    ls_client.cancel_runs_post(action="rollback", status="all")

    assert lg.wait_status(thread, run, lambda s: s is None) is None


def test_langgraph_rollback_of_finished_run_is_404_and_keeps_it(
    lg: LangGraphServer, ls_client: langsmith_client.Client
) -> None:
    thread = lg.create_thread()
    run = lg.finished_run(thread)

    with pytest.raises(langsmith_client.errors.NotFoundError):
        ls_client.cancel_runs_post(action="rollback", thread_id=thread, run_ids=[run])

    assert lg.status(thread, run) == "success"


def test_langgraph_unknown_action_is_not_checked(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    # The client's Literal keeps callers from sending this; the server would take it as interrupt.
    answer = lg.http.post("/runs/cancel", params={"action": "stop"}, json={"thread_id": thread, "run_ids": [run]})

    assert answer.status_code == 204
    assert lg.wait_status(thread, run, _done) == "interrupted"


@pytest.mark.parametrize("api_key", [None, "wrong-key"], ids=["no-key", "wrong-key"])
def test_langgraph_cancel_without_the_key_is_401(lg: LangGraphServer, api_key: str | None) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    with (
        langsmith_client.Client(base_url=lg.base_url, api_key=api_key) as client,
        pytest.raises(langsmith_client.errors.UnauthorizedError) as caught,
    ):
        client.cancel_runs_post(thread_id=thread, run_ids=[run])

    # The spec documents no 401 here, so the client has no model for the body.
    assert caught.value.parsed is None
    assert b"x-api-key" in caught.value.body
    assert lg.status(thread, run) == "running"


def test_langgraph_async_client_cancels(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    run = lg.running_run(thread)

    async def cancel() -> None:
        async with langsmith_client.AsyncClient(base_url=lg.base_url, api_key=lg.api_key) as client:
            await client.cancel_runs_post(thread_id=thread, run_ids=[run])

    asyncio.run(cancel())

    assert lg.wait_status(thread, run, _done) == "interrupted"


# --- Agno ------------------------------------------------------------------------------------------------


def test_agno_cancel_running_run(agno: AgnoServer, agno_api: agno_client.Client) -> None:
    run = agno.running_run()

    assert agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id) == {}

    assert agno.wait_status(run, lambda s: s in AGNO_DONE) == "CANCELLED"


def test_agno_cancel_twice_is_200_both_times(agno: AgnoServer, agno_api: agno_client.Client) -> None:
    run = agno.running_run()

    agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id)
    agno.wait_status(run, lambda s: s in AGNO_DONE)
    assert agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id) == {}

    assert agno.status(run) == "CANCELLED"


def test_agno_cancel_finished_run_is_200_and_changes_nothing(agno: AgnoServer, agno_api: agno_client.Client) -> None:
    run = agno.finished_run()
    assert agno.status(run) == "COMPLETED"

    assert agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id) == {}

    assert agno.status(run) == "COMPLETED"


def test_agno_cancel_unknown_run_is_200(agno: AgnoServer, agno_api: agno_client.Client) -> None:
    # Agno stores a cancel intent for any run id (a run may be cancelled before it starts).
    assert agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=str(uuid.uuid4())) == {}


def test_agno_cancel_unknown_workflow_is_404(agno: AgnoServer, agno_api: agno_client.Client) -> None:
    run = agno.running_run()
    try:
        with pytest.raises(agno_client.errors.NotFoundError) as caught:
            agno_api.cancel_workflow_run(workflow_id="no-such-workflow", run_id=run.run_id)

        assert isinstance(caught.value.parsed, agno_client.models.NotFoundResponse)
        assert caught.value.parsed.detail == "Workflow not found"
        assert agno.status(run) == "RUNNING"
    finally:
        agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id)


@pytest.mark.parametrize(
    ("token", "detail"),
    [(None, "Authorization header required"), ("wrong-token", "Invalid authentication token")],
    ids=["no-token", "wrong-token"],
)
def test_agno_cancel_without_the_token_is_401(
    agno: AgnoServer, agno_api: agno_client.Client, token: str | None, detail: str
) -> None:
    run = agno.running_run()
    try:
        with (
            agno_client.Client(base_url=agno.base_url, token=token) as client,
            pytest.raises(agno_client.errors.UnauthorizedError) as caught,
        ):
            client.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id)

        assert isinstance(caught.value.parsed, agno_client.models.UnauthenticatedResponse)
        assert caught.value.parsed.detail == detail
        assert agno.status(run) == "RUNNING"
    finally:
        agno_api.cancel_workflow_run(workflow_id=agno.workflow_id, run_id=run.run_id)


# --- the harness itself --------------------------------------------------------------------------------


def test_harness_reuses_the_cached_venv(langgraph: LangGraphServer, agno: AgnoServer) -> None:
    again = ensure_venv("langgraph", LANGGRAPH_REQUIREMENTS)
    assert again.path == langgraph.venv.path
    assert again.built_seconds is None
    assert ensure_venv("agno", AGNO_REQUIREMENTS).path == agno.venv.path
    # The generator's own interpreter is not the servers'.
    assert not str(langgraph.venv.python).startswith(sys.prefix)


def test_harness_failed_install_names_the_requirement_and_leaves_nothing(tmp_path: Path) -> None:
    requirements = tmp_path / "broken-requirements.txt"
    # A local path that does not exist fails inside pip without asking any index.
    requirements.write_text(f"{tmp_path / 'no-such-package-dir'}\n")
    root = tmp_path / "cache"

    with pytest.raises(ServerSetupError) as caught:
        ensure_venv("broken", requirements, root=root)

    assert "no-such-package-dir" in str(caught.value)
    assert "broken: pip install failed" in str(caught.value)
    assert list(root.iterdir()) == []  # no half-built virtualenv is left to be taken for a good one


def test_harness_cache_dir_honours_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "runcancel-generator" / "real-servers"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_root() == Path.home() / ".cache" / "runcancel-generator" / "real-servers"


def test_harness_venv_key_follows_the_requirements(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("x==1\n")
    second.write_text("x==2\n")
    assert venv_key(first) != venv_key(second)
    assert venv_key(first) == venv_key(first)


# --- runcancel against the real servers ------------------------------------------------------------------
# What the unified API reports must be what the server's own state shows afterwards.


@pytest.fixture
def no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_runcancel_langgraph_mixed_ids_reports_only_what_the_server_cancelled(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    finished = lg.finished_run(thread)
    running = lg.running_run(thread)
    unknown = str(uuid.uuid4())
    request = runcancel.CancelRequest(run_ids=[running, finished, unknown], scope=thread)

    with runcancel.for_vendor("langsmith", base_url=lg.base_url, credential=lg.api_key) as canceller:
        result = canceller.cancel(request)

    assert result.cancelled == [running] and result.accepted == []
    assert result.failed == {
        finished: f"404: {lg_detail(FINISHED_NOT_CANCELLABLE)}",
        unknown: f"404: {NOTHING_TO_CANCEL}",
    }
    for run_id in result.cancelled:
        assert lg.wait_status(thread, run_id, _done) == "interrupted"
    assert lg.status(thread, finished) == "success"


def lg_detail(start: str) -> str:
    """The whole of the server's detail for a finished run (it goes on after the part the tests quote)."""
    return (
        f"{start}. Please verify the thread ID and run IDs are correct, and the runs haven't been deleted or completed."
    )


def test_runcancel_langgraph_by_status_and_with_nothing_active(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)
    with runcancel.for_vendor("langsmith", base_url=lg.base_url, credential=lg.api_key) as canceller:
        first = canceller.cancel(runcancel.CancelRequest(status="running"))
        assert lg.wait_status(thread, running, _done) == "interrupted"
        again = canceller.cancel(runcancel.CancelRequest(status="running"))  # the server answers 404 now
    assert (first.cancelled, first.failed, first.responses) == ([], {}, [None])
    assert (again.cancelled, again.accepted, again.failed) == ([], [], {})


def test_runcancel_langgraph_rollback_deletes_the_run(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)

    async def cancel() -> runcancel.CancelResult:
        async with runcancel.async_for_vendor("langsmith", base_url=lg.base_url, credential=lg.api_key) as canceller:
            return await canceller.cancel(runcancel.CancelRequest(run_ids=[running], scope=thread, action="rollback"))

    assert asyncio.run(cancel()).cancelled == [running]
    assert lg.wait_status(thread, running, lambda s: s is None) is None


def test_runcancel_langgraph_refuses_what_the_server_refuses_before_sending(lg: LangGraphServer) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)
    with runcancel.for_vendor("langsmith", base_url=lg.base_url, credential=lg.api_key) as canceller:
        with pytest.raises(runcancel.UnsupportedCancel, match="langsmith cannot combine a status with a thread"):
            canceller.cancel(runcancel.CancelRequest(status="running", scope=thread))
        with pytest.raises(runcancel.UnsupportedCancel, match="langsmith cannot cancel a run without its thread"):
            canceller.cancel(runcancel.CancelRequest(run_ids=[running]))
    assert lg.status(thread, running) == "running"


def test_runcancel_langgraph_reads_the_sdk_s_variable_and_fails_without_a_key(
    lg: LangGraphServer, no_key_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = lg.create_thread()
    running = lg.running_run(thread)
    request = runcancel.CancelRequest(run_ids=[running], scope=thread)
    keyless = runcancel.for_vendor("langsmith", base_url=lg.base_url)
    with keyless as canceller, pytest.raises(langsmith_client.errors.UnauthorizedError):
        canceller.cancel(request)
    assert lg.status(thread, running) == "running"
    monkeypatch.setenv("LANGSMITH_API_KEY", lg.api_key)
    with runcancel.for_vendor("langsmith", base_url=lg.base_url) as canceller:
        assert canceller.cancel(request).cancelled == [running]
    assert lg.wait_status(thread, running, _done) == "interrupted"


def test_runcancel_agno_accepts_what_it_cannot_confirm(agno: AgnoServer) -> None:
    running, finished = agno.running_run(), agno.finished_run()
    unknown = str(uuid.uuid4())
    request = runcancel.CancelRequest(run_ids=[running.run_id, finished.run_id, unknown], scope=agno.workflow_id)

    with runcancel.for_vendor("agno", base_url=agno.base_url, credential=agno.token) as canceller:
        result = canceller.cancel(request)

    # Agno answers {} for all three: the unified API says accepted, not cancelled, and the server agrees
    # that only one of them was cancelled.
    assert result.cancelled == [] and result.failed == {}
    assert result.accepted == [running.run_id, finished.run_id, unknown]
    assert agno.wait_status(running, lambda s: s in AGNO_DONE) == "CANCELLED"
    assert agno.status(finished) == "COMPLETED"


def test_runcancel_agno_unknown_workflow_and_missing_token_fail_each_run(agno: AgnoServer) -> None:
    running = agno.running_run()
    with runcancel.for_vendor("agno", base_url=agno.base_url, credential=agno.token) as canceller:
        result = canceller.cancel(runcancel.CancelRequest(run_ids=[running.run_id], scope="no-such-workflow"))
    assert result.failed == {running.run_id: "404: Workflow not found"} and result.accepted == []
    tokenless = runcancel.for_vendor("agno", base_url=agno.base_url)
    with tokenless as canceller, pytest.raises(agno_client.errors.UnauthorizedError):
        canceller.cancel(runcancel.CancelRequest(run_ids=[running.run_id], scope=agno.workflow_id))
    assert agno.status(running) == "RUNNING"
    with runcancel.for_vendor("agno", base_url=agno.base_url, credential=agno.token) as canceller:
        canceller.cancel(runcancel.CancelRequest(run_ids=[running.run_id], scope=agno.workflow_id))
