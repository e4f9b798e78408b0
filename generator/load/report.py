"""Problems turned into lines for people: each fact once, repeated warnings summed up, a way out named.

Pure functions over lists of :class:`Problem`; the command line prints what they return.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from generator.load.problem import Problem, Severity

#: How many warnings of one kind are shown before the rest are counted in one line.
SHOWN_PER_KIND = 3

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# A number on its own, not a part of a version such as 3.1.0 or of a name.
_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
_MAX_LABEL = 80


def once(problems: Sequence[Problem]) -> list[Problem]:
    """``problems`` with each fact that two checks both reported kept once, in the clearer wording.

    The OpenAPI validator and normalising see some breaches alike (an undeclared
    path parameter, a response without a description). A validator problem marked
    ``echo`` is left out when another problem of the same kind and subject sits at
    the same place in the same file, or below it (the validator sometimes names
    the enclosing list, not the item), and is at least as severe: no error is
    ever lost. A problem equal to an earlier one (a file read twice, as by
    ``diff`` given one file as both sides) is left out too. The rest keep their order.
    """
    stated: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in problems:
        if problem.kind and not problem.echo:
            stated.setdefault((problem.kind, problem.subject, problem.location.file), []).append(problem)
    kept: list[Problem] = []
    seen: set[Problem] = set()
    for problem in problems:
        if problem in seen or (problem.echo and problem.kind and _restated(problem, stated)):
            continue
        seen.add(problem)
        kept.append(problem)
    return kept


def _restated(echo: Problem, stated: dict[tuple[str, str, str], list[Problem]]) -> bool:
    at = echo.location.pointer
    return any(
        (other.location.pointer == at or other.location.pointer.startswith(at + "/"))
        and _rank(other.severity) >= _rank(echo.severity)
        for other in stated.get((echo.kind, echo.subject, echo.location.file), ())
    )


def _rank(severity: Severity) -> int:
    return 1 if severity is Severity.ERROR else 0


def kind_of(problem: Problem) -> str:
    """The sort of ``problem``: its ``kind``, else its message with quoted names and numbers masked."""
    if problem.kind:
        return problem.kind
    message = " ".join(problem.message.split())
    return _NUMBER.sub("N", _QUOTED.sub("'...'", message))


def lines_for_people(problems: Sequence[Problem], verbose: bool = False) -> list[str]:
    """One line per problem, each fact once; unless ``verbose``, warnings beyond a few of one kind are counted.

    The first :data:`SHOWN_PER_KIND` warnings of a kind are shown; right after the
    last of them one line says how many more there are. A count line in place of a
    single warning is not worth it: then that warning is shown. Errors are always shown.
    """
    kept = once(problems)
    if verbose:
        return [str(p) for p in kept]
    warnings = [p for p in kept if p.severity is Severity.WARNING]
    totals = Counter(kind_of(p) for p in warnings)
    grouped = {kind for kind, total in totals.items() if total > SHOWN_PER_KIND + 1}
    seen: Counter[str] = Counter()
    lines = []
    for problem in kept:
        if problem.severity is not Severity.WARNING:
            lines.append(str(problem))
            continue
        kind = kind_of(problem)
        seen[kind] += 1
        if seen[kind] <= SHOWN_PER_KIND or kind not in grouped:
            lines.append(str(problem))
        if seen[kind] == SHOWN_PER_KIND and kind in grouped:
            more = totals[kind] - SHOWN_PER_KIND
            lines.append(
                f"{problem.location.file}: warning: ... and {more} more like {_label(kind)} (--verbose shows all)"
            )
    return lines


def _label(kind: str) -> str:
    text = kind if len(kind) <= _MAX_LABEL else kind[: _MAX_LABEL - 3] + "..."
    return f"'{text}'" if "'" not in text else f'"{text}"'


def lenient_hint(problems: Sequence[Problem], switch: str = "--lenient") -> str | None:
    """The line naming ``switch`` as the way out of a strict refusal; None when it would not help.

    It counts the errors that are only breaches of the OpenAPI rules (``switch``
    turns them into warnings) and says how many others would remain.
    """
    errors = [p for p in once(problems) if p.severity is Severity.ERROR]
    breaches = sum(p.rule for p in errors)
    if not breaches:
        return None
    others = len(errors) - breaches
    turned = f"{switch} would report {_count(breaches, 'OpenAPI rule breach')} as {_plural(breaches, 'a warning')}"
    if not others:
        return f"hint: {turned} and carry on"
    return f"hint: {turned}; {_count(others, 'other error')} would remain, which {switch} cannot fix"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 'es' if noun.endswith('ch') else 's'}"


def _plural(number: int, noun: str) -> str:
    return noun if number == 1 else noun.removeprefix("a ") + "s"
