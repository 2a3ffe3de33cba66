"""Formula-safe cells: nothing a spreadsheet would run, phone numbers intact."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage.frame import flag
from leadtriage.io.safe_cells import (
    flag_formula_cells,
    formula_payload_expr,
    is_formula_payload,
    neutralise,
    neutralise_expr,
    restore,
    restore_expr,
    restored_frame,
    safe_frame,
)


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://x","y")',
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "+ 1 =2",
        " =1+1",
        "\u00a0=1+1",
        "\n@SUM(A1)",
        "\uff1d1+1",
        "'=1+1",
    ],
)
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        "+14155550132",
        "+1 (415) 555-0132",
        "-12.5",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "Jane",
        "jane@acme.com",
        "",
        "a=b",
        "-",
        "'Jane",
    ],
)
def test_plain_values_pass_unchanged(cell: str) -> None:
    assert neutralise(cell) == cell


def test_headers_are_neutralised_too() -> None:
    df = pl.DataFrame({"=cmd()": ["x"], "email": ["=1+1"]})
    safe = safe_frame(df)
    assert safe.columns == ["'=cmd()", "email"]
    assert safe["email"].to_list() == ["'=1+1"]


@settings(max_examples=300)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("=+-@\t\r\n0123456789 ().-/abc|!"), max_size=12),
        min_size=1,
        max_size=50,
    )
)
def test_vectorised_path_agrees_with_the_reference(cells: list[str]) -> None:
    df = pl.DataFrame({"c": cells})
    assert df.select(neutralise_expr("c"))["c"].to_list() == [neutralise(c) for c in cells]


CELL_TEXT = st.text(
    alphabet=st.sampled_from("=+-@'\t\r\n\u00a0\uff1d 0123456789().-/abcAZ$|!_"), max_size=14
)


@settings(max_examples=300)
@given(st.lists(CELL_TEXT, min_size=1, max_size=50))
def test_restoring_gives_back_the_exact_value(cells: list[str]) -> None:
    df = pl.DataFrame({"c": cells})
    neutralised = df.select(neutralise_expr("c"))
    assert [restore(neutralise(c)) for c in cells] == cells
    assert neutralised.select(restore_expr("c"))["c"].to_list() == cells
    assert restored_frame(safe_frame(df.rename({"c": "=c"}))).columns == ["=c"]


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "=cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "  =1+1",
        "\u00a0=1+1",
        "\t=1+1",
        "\r\n=1+1",
        "\uff1dSUM(A1)",
        "+A1+B2",
        '@ HYPERLINK ("x")',
    ],
)
def test_formula_payloads_are_recognised(cell: str) -> None:
    assert is_formula_payload(cell)
    assert pl.DataFrame({"c": [cell]}).select(formula_payload_expr("c")).item()


@pytest.mark.parametrize(
    "cell",
    [
        "@Home Realty",
        "+Plus Dental Ltd",
        "-",
        "+14155550132",
        "-12.5",
        "jane@acme.com",
        "A&B | Partners!",
        "C-3PO",
        "Müller + Söhne",
        "",
    ],
)
def test_real_values_are_not_payloads(cell: str) -> None:
    assert not is_formula_payload(cell)
    assert not pl.DataFrame({"c": [cell]}).select(formula_payload_expr("c")).item()


@settings(max_examples=300)
@given(st.lists(CELL_TEXT, min_size=1, max_size=50))
def test_payload_expression_agrees_with_the_reference(cells: list[str]) -> None:
    df = pl.DataFrame({"c": cells})
    got = df.select(formula_payload_expr("c"))["c"].to_list()
    assert got == [is_formula_payload(c) for c in cells]


def test_a_row_with_a_payload_in_any_input_column_is_flagged() -> None:
    lf = pl.LazyFrame(
        {
            "Company": ["@Home Realty", "=cmd|' /C calc'!A0", None],
            "Notes": ["+Plus Dental Ltd", "fine", "@SUM(A1)"],
            "email": ["=1", "=1", "=1"],  # a clean column: not an input column
        }
    )
    flagged = flag_formula_cells(lf, ["Company", "Notes"]).collect()
    assert flagged[flag("cell.formula")].to_list() == [False, True, True]
    assert flagged.columns[:3] == ["Company", "Notes", "email"]
