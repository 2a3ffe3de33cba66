"""Formula-safe cells: nothing a spreadsheet would run, phone numbers intact."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtriage.io.safe_cells import neutralise, neutralise_expr, safe_frame


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
        "-",
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
        " =1+1",
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
