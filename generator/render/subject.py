"""What a per-API renderer receives: the API's IR and what the cancel domain bound to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.cancel.model import CancelBinding
from generator.ir.model import Api
from generator.render.paging import DeclaredPaging


@dataclass(frozen=True)
class Subject:
    """One API to render. ``cancel`` is None for an API without a configured cancel operation.

    ``credential_env`` names the environment variables a client reads its
    credential from when none is passed, as the vendor's own SDK does.
    """

    api: Api
    cancel: CancelBinding | None = None
    credential_env: tuple[str, ...] = ()
    idempotent: tuple[str, ...] = ()  # operations the configuration says are safe to send twice
    paging: tuple[tuple[str, DeclaredPaging | Literal[False]], ...] = ()  # declared where detection cannot see

    def declared_paging(self, operation_id: str) -> DeclaredPaging | Literal[False] | None:
        """What the configuration says of an operation's paging, if anything."""
        return next((declared for name, declared in self.paging if name == operation_id), None)

    def is_idempotent(self, operation_id: str) -> bool:
        """Whether the spec, the configuration or the cancel domain (a cancel repeated is a cancel) says so."""
        operation = self.api.operation(operation_id)
        declared = operation is not None and operation.idempotent
        cancels = self.cancel is not None and self.cancel.operation_id == operation_id
        return declared or cancels or operation_id in self.idempotent
