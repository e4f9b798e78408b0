"""Whether this process may fork a helper that runs beside it (rule checks, model parts)."""

from __future__ import annotations

import multiprocessing
import os
import threading


def can_fork_beside() -> bool:
    """True when forking works here, this process runs one thread, and a second core is free to use.

    A process with other threads is never forked: a lock some thread holds would stay held in the
    child forever, and the child would hang.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every platform can say which cores this process may use
        cores = os.cpu_count() or 1
    return cores > 1
