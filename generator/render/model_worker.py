"""A second process, started with a run, that makes the models' parts.

The model generator costs about 0.3 s before it makes anything: its import, and
the lazy imports of its first run. A worker forked as a run starts pays that
while this process imports the rest and loads and checks the specs; then it
makes the parts it is sent (:func:`model_making.made_parts`: a sibling is forked
for about half of a large batch) and sends their modules back, so this process
never imports the model generator. The worker imports what it needs only after
the fork, so the command line can start it before importing anything heavy
(:func:`start_early`), and the run adopts it.

Where no helper may be forked (see :mod:`generator.forking`), or the worker
fails or dies, the caller makes the parts itself: the modules are the same text
either way, and a failure is then met first-hand, with its own traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
from multiprocessing.connection import Connection

from generator.forking import can_fork_beside


class ModelWorker:
    """The worker process; :meth:`made` hands it one batch of parts at a time and waits for their modules."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe(duplex=True)
        # Not a daemon: a daemon may not fork, and the worker forks a sibling for a large batch.
        process = context.Process(target=_serve, args=(here, there), daemon=False)
        process.start()
        there.close()  # only the worker holds its end: its exit reaches this end as EOF
        self._connection: Connection | None = here
        self._process: multiprocessing.process.BaseProcess | None = process

    @classmethod
    def start(cls) -> ModelWorker | None:
        """The worker :func:`start_early` started, or one started now; None where no helper may be forked."""
        global _early  # handed over once: the caller now owns it, and closes it
        worker, _early = _early, None
        if worker is not None:
            return worker
        return cls() if can_fork_beside() else None

    def made(self, batch: object) -> list[str] | None:
        """The modules of the parts of ``batch``, made by the worker; None if it could not (make them here)."""
        return self.receive() if self.send(batch) else None

    def send(self, batch: object) -> bool:
        """Give the worker ``batch`` to make; False if it cannot take it. Call :meth:`receive` before sending more.

        Sent while the worker may still be warming up: then this waits for it to read, as :meth:`receive`
        would for the modules.
        """
        if self._connection is None:
            return False
        try:
            self._connection.send(batch)
        except OSError:
            self.close()
            return False
        return True

    def receive(self) -> list[str] | None:
        """The modules of the batch last sent, when made; None if the worker failed or died (make them here)."""
        if self._connection is None:
            return None
        try:
            answer: list[str] | None = self._connection.recv()
        except (EOFError, OSError):
            answer = None
        if answer is None:
            self.close()
        return answer

    def close(self) -> None:
        """Stop the worker. Nothing it holds is wanted any more: a batch still in the making is dropped."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            # Idle, still warming up, or making a batch nobody will read (the run failed): it is stopped,
            # not waited for. A sibling it forked for half a batch ends when it finds the worker gone.
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


_early: ModelWorker | None = None


def start_early() -> None:
    """Start the worker now, for the run that :meth:`ModelWorker.start` will hand it to.

    For the command line, once it knows it will render: the worker then warms up while this
    process imports the generator. If no run takes it, it is let go when this process exits.
    """
    global _early  # one worker waiting for its run
    if _early is None and can_fork_beside():
        _early = ModelWorker()
        atexit.register(_let_go_early)


def _let_go_early() -> None:
    # Run before multiprocessing's own exit handler (registered earlier), which waits for the worker to end.
    global _early
    if _early is not None:
        _early.close()
        _early = None


def _serve(parent_end: Connection, connection: Connection) -> None:
    parent_end.close()  # the fork copied it: while this process holds it, closing the parent's is no EOF here
    from generator.render import model_making

    with contextlib.suppress(Exception):  # an optimisation only: a real batch meets any failure again
        model_making.warm_up()
    with connection:
        while True:
            try:
                batch = connection.recv()
            except (EOFError, OSError):
                return
            try:
                modules = model_making.made_parts(batch)
            except Exception:  # noqa: BLE001 - the parent makes the batch itself, and meets the failure first-hand
                connection.send(None)
                return
            connection.send(modules)
