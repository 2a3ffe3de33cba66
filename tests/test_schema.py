"""The schema owns the clean columns: no other module spells one, every list derives
from it, the CRM column files name only columns it knows, and a run makes what it says."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from leadtriage.data_files import data_pairs
from leadtriage.io.layout import CLEAN_COLUMNS, GENERATED_COLUMNS, RESULT_COLUMNS
from leadtriage.io.profiles import PROFILE_COLUMNS_FILE
from leadtriage.normalize.phone import REGION_SOURCES
from leadtriage.pipeline import triage
from leadtriage.rules.fields import CLEAN_FIELDS
from leadtriage.schema import (
    COLUMNS,
    RULE_COLUMNS,
    Col,
    Field,
    Role,
    Stage,
    made_by,
    with_role,
    written_from,
)

REPO = Path(__file__).parents[1]
PACKAGE = REPO / "src" / "leadtriage"

# Words that share a spelling with a clean column but name something else. Each entry is
# (module, word): the module may use that word, and must (a stale entry fails too).
HOMONYMS: dict[tuple[str, str], str] = {
    ("dedupe/comparisons.py", "email"): "comparison name and its level labels",
    ("dedupe/comparisons.py", "company"): "comparison name and its level labels",
    ("dedupe/blocking.py", "email"): "evidence kind",
    ("dedupe/blocking.py", "company"): "evidence kind",
    ("dedupe/config.py", "email"): "evidence kind",
    ("dedupe/config.py", "company"): "evidence kind",
    ("dedupe/config.py", "first_seen"): "survivor criterion",
    ("ledger/matching.py", "email"): "a kind of key tonight's rows reach the ledger by",
    ("ledger/matching.py", "company"): "a kind of key tonight's rows reach the ledger by",
    ("dedupe/survivorship.py", "first_seen"): "survivor criterion",
    ("normalize/phone.py", "email_domain"): "a phone_region_source value",
    ("rules/schema.py", "score"): "the [score] table of a rules file",
    ("rules/score.py", "score"): "the [score] table of a rules file",
    ("rules/score.py", "seniority"): "a key of the [score] table",
    ("rules/suppress.py", "email"): "a suppression file's header",
    ("columns.py", "score"): "a header word that vetoes a synonym",
    ("inspect.py", "source"): "a key of inspect's JSON",
    ("report.py", "source"): "a key of the summary's JSON",
    ("render.py", "source"): "a header of the summary table",
    ("io/workbook.py", "source"): "an attribute of a sheet's data validation",
    ("report.py", "consent"): "a key of the summary (CONSENT_KEY)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            found.update(
                id(statement.value)
                for statement in body
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            )
    return found


def _column_literals() -> dict[tuple[str, str], list[int]]:
    """(module, column name) -> lines where a string constant spells a clean column."""
    names = {c.name.value for c in COLUMNS}
    found: dict[tuple[str, str], list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module == "schema.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in names
                and id(node) not in skip
            ):
                found.setdefault((module, node.value), []).append(node.lineno)
    return found


def test_no_module_but_the_schema_spells_a_clean_column() -> None:
    spelled = {
        f"{module}:{lines[0]}: {name!r}"
        for (module, name), lines in _column_literals().items()
        if (module, name) not in HOMONYMS
    }
    assert not spelled, "name these through leadtriage.schema.Col: " + ", ".join(sorted(spelled))


def test_every_homonym_is_still_used() -> None:
    stale = set(HOMONYMS) - set(_column_literals())
    assert not stale, f"remove from HOMONYMS: {sorted(stale)}"


def test_the_scan_sees_a_literal_column_name() -> None:
    """The walk itself: a literal in code is found, the same text in a docstring is not."""
    tree = ast.parse('"""phone_e164"""\nx = "phone_e164"\n')
    skip = _docstrings(tree)
    hits = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value == "phone_e164" and id(n) not in skip
    ]
    assert hits == [2]


def test_names_are_unique_and_the_enum_is_the_list() -> None:
    assert [c.name for c in COLUMNS] == list(Col)


def test_lists_derive_from_the_schema() -> None:
    written = {c for cols in CLEAN_COLUMNS.values() for c in cols}
    assert written == {c.name for c in COLUMNS if c.role is Role.CLEAN}
    assert CLEAN_COLUMNS[Field.FULL_NAME] == (Col.FIRST_NAME, Col.LAST_NAME)
    assert written_from(Field.PHONE) == (Col.PHONE_E164, Col.PHONE_TYPE, Col.PHONE_EXTENSION)
    assert {c.name.value for c in COLUMNS} <= GENERATED_COLUMNS
    assert set(RESULT_COLUMNS) == set(with_role(Role.RESULT, Role.EVIDENCE, Role.PAIR))
    assert CLEAN_FIELDS[: len(RULE_COLUMNS)] == RULE_COLUMNS


def test_crm_profile_columns_name_only_exportable_columns() -> None:
    exportable = set(with_role(Role.CLEAN, Role.RESULT))
    sources = [spec.rpartition("|")[2] for _, spec in data_pairs(PROFILE_COLUMNS_FILE)]
    plain = [s for s in sources if not s.startswith("=")]
    assert plain, "the file lists CRM columns"
    assert not [s for s in plain if s not in exportable]


@pytest.fixture(scope="module")
def example_frame() -> pl.DataFrame:
    return triage([str(REPO / "examples" / "campaign.csv")]).routed


def test_columns_have_their_declared_dtype(example_frame: pl.DataFrame) -> None:
    schema = example_frame.schema
    wrong = {
        c.name.value: (c.dtype, schema[c.name])
        for c in COLUMNS
        if c.name in schema and schema[c.name] != c.dtype
    }
    assert not wrong


@pytest.mark.parametrize("stage", [Stage.NORMALIZE, Stage.DEDUPE])
def test_each_stage_adds_what_the_schema_says_it_makes(
    example_frame: pl.DataFrame, stage: Stage
) -> None:
    """The example maps every field a stage reads, so every column it makes is there."""
    assert set(made_by(stage)) <= set(example_frame.columns)


def test_review_shows_which_step_chose_the_phone_region() -> None:
    """`phone.region_guessed` tells a marketer to see phone_region_source: review and
    rejected carry it; accepted (the file a CRM imports) does not."""
    result = triage([str(REPO / "examples" / "campaign.csv")])
    assert Col.PHONE_REGION_SOURCE in result.review.columns
    assert Col.PHONE_REGION_SOURCE in result.rejected.columns
    assert Col.PHONE_REGION_SOURCE not in result.accepted.columns
    assert set(result.review[Col.PHONE_REGION_SOURCE].drop_nulls()) <= set(REGION_SOURCES)
