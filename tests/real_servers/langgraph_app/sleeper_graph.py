"""A graph for cancel tests: one node that sleeps in short steps, long enough to be cancelled.

Served by ``langgraph dev`` from the harness's own virtualenv, never imported by the test suite.
Input ``{"seconds": S}`` sets how long the node keeps going (capped so that a forgotten run
ends by itself); ``{"seconds": 0}`` finishes at once, for "finished" runs.
"""

from __future__ import annotations

import asyncio
from typing import TypedDict

from langgraph.graph import END, START, StateGraph

# A run nobody cancels must still end, so a broken test cannot keep the server busy.
MAX_SECONDS = 30.0
TICK = 0.1


class State(TypedDict, total=False):
    """The graph's state: how long to sleep, and how many ticks were slept."""

    seconds: float
    ticks: int


async def sleep_node(state: State) -> State:
    """Sleep ``seconds`` (bounded) in short ticks, so that a cancel lands between two of them."""
    seconds = min(float(state.get("seconds", 5.0)), MAX_SECONDS)
    ticks = 0
    while ticks * TICK < seconds:
        await asyncio.sleep(TICK)
        ticks += 1
    return {"ticks": ticks}


_builder = StateGraph(State)
_builder.add_node("sleep", sleep_node)
_builder.add_edge(START, "sleep")
_builder.add_edge("sleep", END)
graph = _builder.compile()
