"""The OpenAPI rule checks of a run's specs, in a second process while rendering goes on.

Checking the rules needs openapi-spec-validator, whose import alone costs about
as much as rendering two vendors; the check reads only the spec files and yields
only problems. So on a machine that can fork and has a second core, a child
process imports the validator and checks every spec while this process renders.
Elsewhere, or if the child dies, the checks run here when their results are asked
for. Either way the problems are the same, in the same order.

The child can first do some ``warm_up`` work whose fruit reaches this process
through a cache (compiling the templates into Jinja's bytecode cache): it is
done while this process is still importing what rendering needs.

Where the second core is known to be free as a run starts (the model worker
waits to be needed), the command line forks the child at once
(:func:`start_early`): it imports the validator while this process imports the
rest, and the run's :class:`RuleChecks` hands it the checks.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from generator.forking import can_fork_beside

if TYPE_CHECKING:
    from generator.load.problem import Problem
    from generator.load.rule_memory import TextStore


@dataclass(frozen=True)
class RuleCheck:
    """One spec to check: its path, how to show it, and whether rule breaches are only warnings."""

    spec: Path
    display: str
    lenient: bool


class RuleChecks:
    """The checks of ``checks``, started now; :meth:`problems` waits for one of them.

    ``background`` None lets the machine decide (see the module); True or False forces it.
    ``warm_up`` is what the child does first (see the module). With a ``store``, what earlier
    runs found is used where a spec did not change (see :mod:`generator.load.rule_memory`).
    """

    def __init__(
        self,
        checks: Sequence[RuleCheck],
        *,
        background: bool | None = None,
        warm_up: Callable[[], object] | None = None,
        store: TextStore | None = None,
    ) -> None:
        self._checks = list(checks)
        self._store = store
        self._warm_up = warm_up
        self._results: dict[int, list[Problem]] = {}
        self._receiver: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        if background if background is not None else _can_overlap(len(self._checks)):
            self._start()

    def problems(self, index: int) -> list[Problem]:
        """The rule problems of check ``index`` (waits for the child when it is still at work)."""
        while index not in self._results and self._receiver is not None:
            try:
                done, found = self._receiver.recv()
            except (EOFError, OSError):
                self.close()  # the child is gone: whatever it had not sent is checked here
                break
            self._results[done] = found
        if index not in self._results:
            self._results[index] = _check(self._checks[index], self._store)
        return self._results[index]

    def close(self) -> None:
        """Stop the child, if any (results already received stay)."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None

    def __enter__(self) -> RuleChecks:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> None:
        global _early  # handed over once: this run now owns the child, and closes it
        early, _early = _early, None
        if early is not None:
            connection, process = early
            try:
                connection.send((self._checks, self._warm_up, self._store))
            except Exception:  # noqa: BLE001 - gone, or handed what cannot be pickled: a child is forked anew
                connection.close()  # the early child sees its end closed, and leaves
                process.join()
            else:
                self._receiver, self._process = connection, process
                return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_run_all, args=(self._checks, sender, self._warm_up, self._store), daemon=True)
        process.start()
        sender.close()  # only the child writes: its exit must reach this end as EOF
        self._receiver, self._process = receiver, process


_early: tuple[Connection, multiprocessing.process.BaseProcess] | None = None


def start_early() -> None:
    """Fork the checking child now: it imports the validator, then waits for the run's checks.

    For the command line, when nothing else will use the second core while this process imports the
    generator. If no run takes the child, it is let go when this process exits.
    """
    global _early  # one child waiting for its run
    if _early is None and can_fork_beside():
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe(duplex=True)
        process = context.Process(target=_wait_for_checks, args=(here, there), daemon=True)
        process.start()
        there.close()  # only the child holds its end: its exit reaches this end as EOF
        _early = (here, process)
        atexit.register(_let_go_early)


def _let_go_early() -> None:
    global _early
    if _early is not None:
        connection, process = _early
        _early = None
        connection.close()
        process.terminate()
        process.join()


def _wait_for_checks(parent_end: Connection, connection: Connection) -> None:
    parent_end.close()  # the fork copied it: while this process holds it, closing the parent's is no EOF here
    with contextlib.suppress(Exception):  # an optimisation only: the check imports what it needs either way
        import generator.load.spec_validation  # noqa: F401 - the slow import, done before it is needed
    try:
        checks, warm_up, store = connection.recv()
    except (EOFError, OSError):
        return
    _run_all(checks, connection, warm_up, store)


def _can_overlap(count: int) -> bool:
    return count > 0 and can_fork_beside()


def _run_all(
    checks: list[RuleCheck],
    sender: Connection,
    warm_up: Callable[[], object] | None = None,
    store: TextStore | None = None,
) -> None:
    if warm_up is not None:
        with contextlib.suppress(Exception):  # an optimisation only: this process does the work itself otherwise
            warm_up()
    with sender:
        for index, check in enumerate(checks):
            try:
                found = _check(check, store)
            except Exception:  # noqa: BLE001 - the parent checks the rest itself, and so meets the failure first-hand
                return
            sender.send((index, found))


def _check(check: RuleCheck, store: TextStore | None) -> list[Problem]:
    # Imported here: the command line imports this module to fork the child early, before the loader.
    from generator.load import rule_problems

    return rule_problems(check.spec, check.display, check.lenient, store)
