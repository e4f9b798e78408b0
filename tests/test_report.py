"""Problems for people: each fact once, repeated warnings counted, strict refusals naming --lenient."""

from __future__ import annotations

from generator.load.problem import Diagnostics, Kind, Location, Problem, Severity
from generator.load.report import SHOWN_PER_KIND, kind_of, lenient_hint, lines_for_people, once

OP = "/paths/~1runs~1{id}/get"


def no_ids(count: int, diagnostics: Diagnostics | None = None) -> Diagnostics:
    found = diagnostics or Diagnostics()
    for n in range(count):
        where = Location("api.yaml", f"/paths/~1r{n}/get", 10 + n)
        found.warning(
            where, f"operation has no operationId: named 'get_r{n}' from its method and path", kind=Kind.NO_OPERATION_ID
        )
    return found


def undeclared(diagnostics: Diagnostics, *, echo_first: bool = True) -> None:
    """The undeclared path parameter 'id', as the validator and as normalising word it."""
    where = Location("api.yaml", OP, 7)
    echo = "not valid OpenAPI 3.1.0: Path parameter 'id' for 'get' operation in '/runs/{id}' was not resolved"
    clear = "path parameter 'id' is in the path but not declared"
    for message in (echo, clear) if echo_first else (clear, echo):
        diagnostics.invalid(where, message, kind=Kind.UNDECLARED_PATH_PARAMETER, subject="id", echo=message == echo)


def test_few_warnings_of_a_kind_are_all_shown() -> None:
    found = no_ids(SHOWN_PER_KIND + 1)  # a count line in place of one warning saves nothing
    assert lines_for_people(found.problems) == [str(p) for p in found.problems]


def test_many_warnings_of_a_kind_are_counted_after_the_first_few() -> None:
    found = no_ids(10)
    lines = lines_for_people(found.problems)
    assert lines[:3] == [str(p) for p in found.problems[:3]]
    assert lines[3:] == ["api.yaml: warning: ... and 7 more like 'operation has no operationId' (--verbose shows all)"]
    assert lines_for_people(found.problems, verbose=True) == [str(p) for p in found.problems]


def test_the_count_line_sits_where_the_hidden_ones_begin_and_other_kinds_keep_their_place() -> None:
    found = Diagnostics()
    found.warning(Location("api.yaml", "/info"), "first")
    no_ids(5, found)
    found.error(Location("api.yaml", "/x", 3), "$ref cycle: a -> a")
    lines = lines_for_people(found.problems)
    assert lines[0].endswith("warning: first [#/info]")
    assert "... and 2 more like" in lines[4]
    assert lines[5] == "api.yaml:3: error: $ref cycle: a -> a [#/x]"
    assert len(lines) == 6


def test_errors_are_never_counted_away() -> None:
    found = Diagnostics()
    for n in range(10):
        found.invalid(Location("api.yaml", f"/paths/~1r{n}/get"), "operation has no responses")
    assert lines_for_people(found.problems) == [str(p) for p in found.problems]


def test_a_kind_is_derived_from_the_message_when_none_was_given() -> None:
    def problem(message: str) -> Problem:
        return Problem(Severity.WARNING, Location("a.yaml"), message)

    assert kind_of(problem("unknown security scheme 'BearerAuth'")) == "unknown security scheme '...'"
    assert kind_of(problem("response 404 has no 'description'")) == kind_of(problem("response 200 has no 'x'"))
    # Versions are not counts: findings of one OpenAPI version stay readable.
    assert kind_of(problem('not valid OpenAPI 3.1.0: "url" is a required property')).startswith(
        "not valid OpenAPI 3.1.0: "
    )
    found = Diagnostics()
    for name in ("A", "B", "C", "D", "E"):
        found.warning(Location("a.yaml", f"/s/{name}"), f"unknown security scheme {name!r}")
    assert lines_for_people(found.problems)[-1] == (
        "a.yaml: warning: ... and 2 more like \"unknown security scheme '...'\" (--verbose shows all)"
    )


def test_the_validator_echo_of_a_fact_gives_way_to_the_clearer_report_whatever_the_order() -> None:
    for echo_first in (True, False):
        found = Diagnostics(lenient=True)
        undeclared(found, echo_first=echo_first)
        assert [p.message for p in once(found.problems)] == ["path parameter 'id' is in the path but not declared"]
        assert lines_for_people(found.problems) == [
            f"api.yaml:7: warning: path parameter 'id' is in the path but not declared [#{OP}]"
        ]


def test_an_echo_stays_when_nothing_else_reports_its_fact() -> None:
    found = Diagnostics()
    where = Location("api.yaml", OP, 7)
    found.invalid(
        where, "Path parameter 'id' ... was not resolved", kind=Kind.UNDECLARED_PATH_PARAMETER, subject="id", echo=True
    )
    # Another parameter, another file, another place: none of them is the same fact.
    found.invalid(where, "other", kind=Kind.UNDECLARED_PATH_PARAMETER, subject="name")
    found.invalid(Location("other.yaml", OP), "other", kind=Kind.UNDECLARED_PATH_PARAMETER, subject="id")
    found.invalid(Location("api.yaml", "/paths/~1runs"), "other", kind=Kind.UNDECLARED_PATH_PARAMETER, subject="id")
    assert once(found.problems) == found.problems


def test_an_echo_naming_the_enclosing_list_gives_way_to_the_report_on_the_item() -> None:
    found = Diagnostics()
    found.invalid(
        Location("api.yaml", "/servers", 3),
        '"url" is a required property',
        kind=Kind.MISSING_FIELD,
        subject="url",
        echo=True,
    )
    found.invalid(Location("api.yaml", "/servers/0", 4), "server has no 'url'", kind=Kind.MISSING_FIELD, subject="url")
    assert [p.message for p in once(found.problems)] == ["server has no 'url'"]


def test_an_echo_that_is_an_error_is_not_dropped_for_a_warning() -> None:
    found = Diagnostics()
    found.invalid(Location("api.yaml", OP), "validator words", kind=Kind.UNKNOWN_TYPE, subject="file", echo=True)
    found.warning(Location("api.yaml", OP), "clearer words", kind=Kind.UNKNOWN_TYPE, subject="file")
    assert once(found.problems) == found.problems


def test_strict_refusal_names_lenient_and_how_many_it_would_turn() -> None:
    found = Diagnostics()
    undeclared(found)  # one fact, reported twice: counted once
    found.invalid(Location("api.yaml", "/paths/~1a/get"), "operation has no responses")
    found.warning(Location("api.yaml", "/info"), "a warning changes nothing")
    assert (
        lenient_hint(found.problems) == "hint: --lenient would report 2 OpenAPI rule breaches as warnings and carry on"
    )


def test_the_hint_says_when_errors_lenient_cannot_fix_would_remain() -> None:
    found = Diagnostics()
    found.invalid(Location("api.yaml", "/paths/~1a/get"), "operation has no responses")
    found.error(Location("api.yaml", "/components/schemas/A", 9), "$ref cycle: A -> A")
    assert lenient_hint(found.problems) == (
        "hint: --lenient would report 1 OpenAPI rule breach as a warning; "
        "1 other error would remain, which --lenient cannot fix"
    )
    assert lenient_hint(found.problems, "leaving out --strict") is not None


def test_no_hint_when_lenient_would_not_help() -> None:
    cycle = Diagnostics()
    cycle.error(Location("api.yaml", "/x"), "$ref cycle: A -> A")
    assert lenient_hint(cycle.problems) is None
    lenient = Diagnostics(lenient=True)
    lenient.invalid(Location("api.yaml", "/x"), "operation has no responses")
    assert lenient_hint(lenient.problems) is None
    assert lenient.problems[0].rule


def test_a_problem_found_twice_at_one_place_is_shown_once() -> None:
    found = Diagnostics()
    for _ in range(2):
        found.invalid(Location("api.yaml", "/paths/~1a/get", 4), "operation has no responses")
    assert lines_for_people(found.problems) == ["api.yaml:4: error: operation has no responses [#/paths/~1a/get]"]
    assert (
        lenient_hint(found.problems) == "hint: --lenient would report 1 OpenAPI rule breach as a warning and carry on"
    )
