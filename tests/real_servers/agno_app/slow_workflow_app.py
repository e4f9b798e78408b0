"""An AgentOS app for cancel tests: one workflow whose only step sleeps long enough to be cancelled.

Served by uvicorn from the harness's own virtualenv, never imported by the test suite.
No model is involved: the step is a plain Python function, so nothing calls out of the machine.
Bearer auth comes from ``OS_SECURITY_KEY`` in the environment, set by the harness.
The message says how long the step keeps going: a number of seconds (capped), or ``quick``
for a run that finishes at once.
"""

from __future__ import annotations

import asyncio

from agno.db.in_memory import InMemoryDb
from agno.os import AgentOS
from agno.run.base import RunContext
from agno.run.cancel import araise_if_cancelled
from agno.workflow import Step, StepInput, StepOutput, Workflow

WORKFLOW_ID = "slow-workflow"
# A run nobody cancels must still end, so a broken test cannot keep the server busy.
MAX_SECONDS = 30.0
TICK = 0.1


def _seconds_of(message: object) -> float:
    """How long a run should take: ``quick`` is no time, a number is seconds, anything else 5 s."""
    text = str(message or "").strip()
    if text == "quick":
        return 0.0
    try:
        return min(max(float(text), 0.0), MAX_SECONDS)
    except ValueError:
        return 5.0


async def sleep_step(step_input: StepInput, run_context: RunContext) -> StepOutput:
    """Sleep in short ticks, checking between them whether the run was cancelled.

    Agno's cancellation is cooperative: a step that never looks would run to its end.
    """
    seconds = _seconds_of(step_input.input)
    ticks = 0
    while ticks * TICK < seconds:
        await araise_if_cancelled(run_context.run_id)
        await asyncio.sleep(TICK)
        ticks += 1
    return StepOutput(content=f"slept {ticks} ticks")


db = InMemoryDb()
workflow = Workflow(
    id=WORKFLOW_ID,
    name="Slow workflow",
    db=db,
    steps=[Step(name="sleep", executor=sleep_step)],
)
agent_os = AgentOS(id="runcancel-tests", workflows=[workflow], db=db)
app = agent_os.get_app()
