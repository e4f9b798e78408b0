"""The vendor-neutral cancel request and result.

Part of runcancel-generator's unified runtime, copied unchanged into ``runcancel``; do not edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CancelRequest:
    """Which runs to cancel, said once for every vendor.

    ``run_ids``: the runs. ``scope``: what they belong to (a workflow, a thread),
    where the vendor needs it. ``status``: cancel every run with this status
    instead. ``filters``: vendor-specific filter fields, by the vendor's names.
    ``action``: how to cancel, where the vendor offers a choice.
    """

    run_ids: Sequence[str] = ()
    scope: str | None = None
    status: str | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)
    action: str | None = None


@dataclass
class CancelResult:
    """What happened, as far as the vendor's answers tell.

    ``cancelled``: runs the vendor confirmed cancelled (its answer lists them, or
    a call about that run alone succeeded where the vendor refuses runs it cannot
    cancel). ``accepted``: runs the vendor took without saying what it did (an
    empty answer that it gives for unknown runs too). ``failed``: runs it
    refused, with its reason. ``responses``: the raw answers. A cancel by status
    or filter lists runs only where the vendor's answer names them.
    """

    cancelled: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    responses: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Capabilities:
    """What a vendor's cancel endpoint can express."""

    vendor: str
    by_ids: bool
    per_run: bool
    statuses: tuple[str, ...]
    filters: tuple[str, ...]
    scope: str | None
    batch_limit: int | None
    actions: tuple[str, ...]


class UnsupportedCancel(ValueError):
    """The vendor cannot express this request; raised before anything is sent."""

    def __init__(self, vendor: str, what: str) -> None:
        super().__init__(f"{vendor} cannot {what}")
        self.vendor = vendor
        self.what = what
