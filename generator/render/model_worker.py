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
    """The worker process; :meth:`made` hands it one batch of parts at a time and waits for their modules.

    With ``warm`` False it waits for :meth:`warm_up` or its first batch before it imports anything.
    """

    def __init__(self, *, warm: bool = True) -> None:
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe(duplex=True)
        # Not a daemon: a daemon may not fork, and the worker forks a sibling for a large batch.
        process = context.Process(target=_serve, args=(here, there, warm), daemon=False)
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

    def warm_up(self) -> None:
        """Let a worker started cold warm up now (one started warm does already)."""
        self.send(_WARM_UP)

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


def start_early(*, warm: bool = True) -> None:
    """Start the worker now, for the run that :meth:`ModelWorker.start` will hand it to.

    For the command line, once it knows it will render: the worker then warms up while this
    process imports the generator (unless ``warm`` is False: see :func:`warm_up_early`). If no
    run takes it, it is let go when this process exits.
    """
    global _early  # one worker waiting for its run
    if _early is None and can_fork_beside():
        _early = ModelWorker(warm=warm)
        atexit.register(_let_go_early)


def warm_up_early() -> None:
    """Let the worker :func:`start_early` started cold warm up now: the run will make models after all."""
    if _early is not None:
        _early.warm_up()


def _let_go_early() -> None:
    # Run before multiprocessing's own exit handler (registered earlier), which waits for the worker to end.
    global _early
    if _early is not None:
        _early.close()
        _early = None


# What a worker started cold is sent to warm up before its first batch.
_WARM_UP = "warm up"


def _serve(parent_end: Connection, connection: Connection, warm: bool) -> None:
    parent_end.close()  # the fork copied it: while this process holds it, closing the parent's is no EOF here
    pending: object = None  # a batch received before the imports, which then pay for themselves
    if not warm:
        # Told to wait: until it is sent a batch or told to warm up after all.
        try:
            pending = connection.recv()
        except (EOFError, OSError):
            return
    from generator.render import model_making

    if pending is None or pending == _WARM_UP:
        pending = None
        with contextlib.suppress(Exception):  # an optimisation only: a real batch meets any failure again
            model_making.import_generator()
            # A first run on a tiny document costs more than the first run's extra on a real batch: once a
            # batch waits, the warm-up only delays it.
            if not connection.poll():
                model_making.warm_up()
    with connection:
        while True:
            try:
                batch = connection.recv() if pending is None else pending
            except (EOFError, OSError):
                return
            pending = None
            if batch == _WARM_UP:
                continue
            try:
                modules = model_making.made_parts(batch)  # type: ignore[arg-type]  # what the parent sent
            except Exception:  # noqa: BLE001 - the parent makes the batch itself, and meets the failure first-hand
                connection.send(None)
                return
            connection.send(modules)
