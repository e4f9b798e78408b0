"""Problems found in input files, kept as values and reported once at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop the run, warnings are reported and ignored."""

    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    """Sorts of problem named where they are found: the frequent ones, and those two checks both report."""

    NO_OPERATION_ID = "operation has no operationId"
    UNDECLARED_PATH_PARAMETER = "path parameter in the path but not declared"
    DUPLICATE_OPERATION_ID = "operationId used twice"
    MISSING_FIELD = "a required field is missing"
    UNKNOWN_TYPE = "unknown schema type"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem sits: a file, a JSON pointer inside it and, when known, a line."""

    file: str
    pointer: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, formatted as a single line for people.

    ``kind`` names the sort of problem in a few words, the same for every problem
    of that sort (reports group repeats by it); empty means "derive it from the
    message". ``subject`` is what the problem is about (a parameter's name, a
    missing field): with ``kind`` and the place it says which fact is reported.
    ``rule`` marks a breach of the OpenAPI rules, which ``--lenient`` turns into a
    warning. ``echo`` marks the validator's wording of a fact that normalising
    also reports, more clearly: see :func:`generator.load.report.once`.
    """

    severity: Severity
    location: Location
    message: str
    kind: str = ""
    subject: str = ""
    rule: bool = False
    echo: bool = False

    def __str__(self) -> str:
        where = self.location.file
        if self.location.line is not None:
            where += f":{self.location.line}"
        pointer = f" [#{self.location.pointer}]" if self.location.pointer else ""
        # One line per problem, whatever the message carried from a library.
        message = " ".join(self.message.split())
        return f"{where}: {self.severity.value}: {message}{pointer}"


@dataclass
class Diagnostics:
    """Collects problems along a run.

    ``lenient`` decides what a breach of the OpenAPI rules is: an error in strict
    mode, a warning in lenient mode. Problems that make the input unusable
    (a missing file, a syntax error, a ``$ref`` cycle) are errors in both modes.
    """

    lenient: bool = False
    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, *, kind: str = "", subject: str = "") -> None:
        """Record a problem that stops the run in any mode."""
        self.problems.append(Problem(Severity.ERROR, location, message, kind, subject))

    def invalid(
        self, location: Location, message: str, *, kind: str = "", subject: str = "", echo: bool = False
    ) -> None:
        """Record a breach of the spec rules: an error unless running leniently."""
        severity = Severity.WARNING if self.lenient else Severity.ERROR
        self.problems.append(Problem(severity, location, message, kind, subject, rule=True, echo=echo))

    def warning(self, location: Location, message: str, *, kind: str = "", subject: str = "") -> None:
        """Record something worth knowing that does not stop the run."""
        self.problems.append(Problem(Severity.WARNING, location, message, kind, subject))

    @property
    def has_errors(self) -> bool:
        """Whether any recorded problem is an error."""
        return any(p.severity is Severity.ERROR for p in self.problems)

    def errors(self) -> list[Problem]:
        """The recorded errors, in the order they were found."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def warnings(self) -> list[Problem]:
        """The recorded warnings, in the order they were found."""
        return [p for p in self.problems if p.severity is Severity.WARNING]
