"""A Fellegi-Sunter model whose weights come from the run's own data.

For every comparison level the model holds ``m`` (how often true pairs show it) and
``u`` (how often unrelated pairs show it); the level weighs ``log2(m / u)`` bits and a
pair's match weight is the prior log-odds plus the sum of its levels' weights, which
makes a probability. Where the numbers come from:

- ``u`` from random pairs of the run itself (sampled with a fixed seed; all pairs
  when the run is small), blended with a prior worth ``_U_PRIOR_PAIRS`` pairs;
- ``m`` and the share of true pairs among the candidates (``prior``) by
  expectation-maximisation over the candidate pairs, each ``m`` pulled towards a
  prior worth ``_M_PRIOR_PAIRS`` pairs, so that a run of ten rows scores sensibly and
  a run of a million speaks for itself. Candidates are not random pairs: blocking
  chose them for sharing a name token with a phone, a company or a domain, so
  unrelated candidates (colleagues) agree on those far more often than random
  pairs do. Holding ``u`` at its random-pair value made EM call every colleague
  pair a match (measured: 99% "true" candidates, company +6.4 bits), so EM also
  re-estimates ``u`` among the candidates, starting from and pulled towards the
  random-pair ``u`` (``_U_CANDIDATE_PRIOR_PAIRS``);
- term frequencies: exact agreement on a value many rows share (a switchboard, a
  common name, a conference domain) loses ``log2((c - 1) / (typical - 1))`` bits,
  ``c`` the rows carrying the value and ``typical`` the count a row's value has on
  average over shared values (``sum(c^2) / sum(c)``, at least
  ``_TF_MIN_TYPICAL``): a value on as many rows as one person's duplicates costs
  nothing, one on ten times as many (ten people) costs about three bits. Measured
  against the random-pair ``u`` instead, the four rows of one person's address lost
  ten bits and their exact email weighed less than none.

Two views of the same m. Among the candidates (``u`` and ``prior`` from EM above)
the weights hold while the fields are independent given the blocking; they are not
when unrelated rows were paired by several keys over different fields (street and
postcode, suburb and postcode...): each such candidate agrees on the fields of its
own key, so the candidates' u of every field is high and a record agreeing on all of
them is charged for each (FEBRL2 at 0.99: recall 0.79 with no false merge above 0.05).
Over all pairs of the run (``u_all``, ``prior_all``) blocking cannot bias anything:
``u_all`` is what random pairs show (level 1: what the value counts show, exactly)
less the true pairs among them, and ``prior_all`` the candidates' true pairs over all
pairs. That view cannot see below one pair in its sample, so a rare level (a nickname,
a typo) weighs less than it should. Each view errs low where its assumption fails;
a pair weighs what the more confident of the two says (``scoring``), and every merge
still needs the guards.

EM works on the distinct patterns of levels with their counts, not on pairs, so it
costs the same for a thousand pairs or ten million. Everything is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from leadtriage.dedupe.comparisons import Comparison, aligned, comparison_levels

RANDOM_PAIRS: Final = 60_000
SEED: Final = 20_261_130
_U_PRIOR_PAIRS: Final = 2_000.0
_M_PRIOR_PAIRS: Final = 50.0
_U_CANDIDATE_PRIOR_PAIRS: Final = 50.0
_PRIOR_MATCH_SHARE: Final = 0.7
_PRIOR_SHARE_PAIRS: Final = 20.0
_EM_ROUNDS: Final = 40
_TF_MIN_ROWS: Final = 3
_TF_MIN_TYPICAL: Final = 3.0
# A level no unrelated random pair showed counts as half a pair of the sample.
_MIN_SAMPLED: Final = 0.5


@dataclass(frozen=True)
class Model:
    """``m[c][k - 1]`` / ``u[c][k - 1]``: level ``k`` of comparison ``c``;
    ``u_random`` the same among random pairs of the run (the baseline of the
    term-frequency adjustment);
    ``prior``: the share of true pairs among candidate pairs; ``u_all`` and
    ``prior_all`` the same over all pairs of the run (see the module);
    ``row_counts``: per term-frequency column, for every left row how many rows
    carry its value (0 when fewer than three do); ``typical``: per column, the
    average count of a shared value's rows."""

    comparisons: tuple[Comparison, ...]
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    u_random: tuple[np.ndarray, ...]
    prior: float
    row_counts: dict[str, pl.Series]
    typical: dict[str, float]
    u_all: tuple[np.ndarray, ...]
    prior_all: float

    def weights(self, index: int, over_all: bool = False) -> np.ndarray:
        """Bits per level of comparison `index` (level 1 first), among the candidates
        or (`over_all`) over all pairs. A looser level never outweighs every closer
        one: a level seen in a handful of pairs (one edit apart) must not beat exact
        agreement on its ratio alone."""
        u = self.u_all[index] if over_all else self.u[index]
        raw = np.log2(self.m[index] / u)
        ceiling = np.maximum.accumulate(raw)
        return np.concatenate([raw[:1], np.minimum(raw[1:], ceiling[:-1])])

    def prior_weight(self, over_all: bool = False) -> float:
        prior = self.prior_all if over_all else self.prior
        return float(np.log2(prior / (1 - prior)))


def random_pairs(left_rows: int, right_rows: int, same_side: bool) -> pl.DataFrame:
    """Pairs (i, j) drawn uniformly with a fixed seed; every pair when there are
    no more than RANDOM_PAIRS of them."""
    schema = {"i": pl.UInt32, "j": pl.UInt32}
    if same_side:
        total = left_rows * (left_rows - 1) // 2
        if total <= RANDOM_PAIRS:
            i, j = np.triu_indices(left_rows, k=1)
            return pl.DataFrame({"i": i, "j": j}, schema=schema)
    elif left_rows * right_rows <= RANDOM_PAIRS:
        i, j = np.divmod(np.arange(left_rows * right_rows), right_rows)
        return pl.DataFrame({"i": i, "j": j}, schema=schema)
    rng = np.random.default_rng(SEED)
    i = rng.integers(0, left_rows, RANDOM_PAIRS)
    j = rng.integers(0, right_rows, RANDOM_PAIRS)
    if same_side:
        keep = i != j
        i, j = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
    return pl.DataFrame({"i": i, "j": j}, schema=schema)


def _level_counts(levels: pl.DataFrame, comparison: Comparison) -> np.ndarray:
    counts = np.zeros(len(comparison.labels), dtype=np.float64)
    for level, count in levels.group_by(comparison.column).len().iter_rows():
        if level:
            counts[level - 1] = count
    return counts


def _estimate_u(random_levels: pl.DataFrame, comparison: Comparison) -> np.ndarray:
    counts = _level_counts(random_levels, comparison)
    prior = np.asarray(comparison.u_prior, dtype=np.float64)
    estimate: np.ndarray = (counts + _U_PRIOR_PAIRS * prior) / (counts.sum() + _U_PRIOR_PAIRS)
    return estimate


def _em(
    patterns: np.ndarray,
    counts: np.ndarray,
    comparisons: tuple[Comparison, ...],
    u_random: list[np.ndarray],
) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    """m and u per comparison and the share of true pairs among the candidates.
    `patterns` holds one row of levels per distinct pattern, `counts` how many
    pairs show it."""
    m = [np.asarray(c.m_prior, dtype=np.float64) for c in comparisons]
    u = [level.copy() for level in u_random]
    share = _PRIOR_MATCH_SHARE
    total = counts.sum()
    for _ in range(_EM_ROUNDS):
        log_m = np.zeros(len(counts))
        log_u = np.zeros(len(counts))
        for index in range(len(comparisons)):
            level = patterns[:, index]
            known = level > 0
            log_m[known] += np.log(m[index][level[known] - 1])
            log_u[known] += np.log(u[index][level[known] - 1])
        match_odds = np.log(share) + log_m - np.log1p(-share) - log_u
        posterior = 1 / (1 + np.exp(-np.clip(match_odds, -700, 700)))
        weighted = posterior * counts
        unrelated = (1 - posterior) * counts
        for index, comparison in enumerate(comparisons):
            level = patterns[:, index]
            size = len(comparison.labels) + 1
            tally = np.bincount(level, weights=weighted, minlength=size)[1:]
            prior = np.asarray(comparison.m_prior)
            m[index] = (tally + _M_PRIOR_PAIRS * prior) / (tally.sum() + _M_PRIOR_PAIRS)
            tally = np.bincount(level, weights=unrelated, minlength=size)[1:]
            u[index] = (tally + _U_CANDIDATE_PRIOR_PAIRS * u_random[index]) / (
                tally.sum() + _U_CANDIDATE_PRIOR_PAIRS
            )
        share = (weighted.sum() + _PRIOR_SHARE_PAIRS * _PRIOR_MATCH_SHARE) / (
            total + _PRIOR_SHARE_PAIRS
        )
        share = min(max(share, 1e-6), 1 - 1e-6)
    return m, u, share


def _term_counts(
    left: pl.DataFrame, right: pl.DataFrame | None, comparisons: tuple[Comparison, ...]
) -> tuple[dict[str, pl.Series], dict[str, float]]:
    """Per term-frequency column: the count of every left row's value (over both
    sides), and the typical count of a shared value."""
    found: dict[str, pl.Series] = {}
    typical: dict[str, float] = {}
    for comparison in comparisons:
        column = comparison.tf_column
        if column is None or column in found:
            continue
        sides = [left] if right is None else [left, right]
        values = pl.concat([side.select(pl.col(column).alias("value")) for side in sides])
        counts = values.drop_nulls().group_by("value").len("rows")
        shared = counts.filter(pl.col("rows") >= 2)["rows"].cast(pl.Float64).to_numpy()
        average = float((shared**2).sum() / shared.sum()) if len(shared) else 0.0
        typical[column] = max(average, _TF_MIN_TYPICAL)
        common = counts.filter(pl.col("rows") >= _TF_MIN_ROWS)
        found[column] = (
            left.select(pl.col(column).alias("value"))
            .join(common, on="value", how="left", maintain_order="left")["rows"]
            .fill_null(0)
            .cast(pl.UInt32)
        )
    return found, typical


def _exact_share(
    left: pl.DataFrame, right: pl.DataFrame, same_side: bool, key: tuple[str, ...]
) -> tuple[float, float]:
    """(pairs agreeing on every `key` column, pairs with them all known), over all
    pairs of the run: counted from value counts, not sampled."""
    values = left.select(key).drop_nulls()
    if same_side:
        counts = values.group_by(key).len("n")["n"].cast(pl.Float64)
        return float((counts * (counts - 1) / 2).sum()), values.height * (values.height - 1) / 2
    others = right.select(key).drop_nulls()
    joined = values.group_by(key).len("a").join(others.group_by(key).len("b"), on=key)
    agreeing = joined.select(pl.col("a").cast(pl.Float64) * pl.col("b")).to_series().sum()
    return float(agreeing), float(values.height * others.height)


def _u_over_all(
    random_levels: pl.DataFrame,
    comparison: Comparison,
    m: np.ndarray,
    share: float,
    exact: tuple[float, float],
) -> np.ndarray:
    """u over all pairs of the run: what random pairs show (level 1: what the value
    counts show), less the true pairs among them (``share`` of all pairs, at ``m``)."""
    counts = _level_counts(random_levels, comparison)
    sampled = counts.sum()
    agreeing, known = exact
    if known > 0:
        unrelated = max(agreeing - share * known * m[0], 1.0)
        exact_u = min(unrelated / (known * (1 - share)), 0.5)
    else:
        exact_u = float(comparison.u_prior[0])
    if sampled > 0:
        rest = np.maximum(counts[1:] / sampled - share * m[1:], _MIN_SAMPLED / sampled)
    else:
        rest = np.asarray(comparison.u_prior[1:], dtype=np.float64)
    return np.concatenate([[exact_u], rest / rest.sum() * (1 - exact_u)])


def fit(
    left: pl.DataFrame,
    right: pl.DataFrame,
    candidate_levels: pl.DataFrame,
    comparisons: tuple[Comparison, ...],
    same_side: bool,
    right_population: float | None = None,
) -> Model:
    """Estimate the model from the run: `left` / `right` are the two sides' features
    (the same frame for in-run dedupe), `candidate_levels` the levels of the
    candidate pairs (``comparison_levels``); `right_population` the rows the right
    side stands for when it is a sample (the ledger's records), else its height."""
    sample = random_pairs(left.height, right.height, same_side)
    random_levels = comparison_levels(aligned(left, right, sample), comparisons)
    u_random = [_estimate_u(random_levels, c) for c in comparisons]
    columns = [c.column for c in comparisons]
    if candidate_levels.height:
        grouped = candidate_levels.group_by(columns).len("pairs")
        patterns = grouped.select(columns).to_numpy().astype(np.int64)
        counts = grouped["pairs"].to_numpy().astype(np.float64)
        m, u, share = _em(patterns, counts, comparisons, u_random)
    else:
        m, u, share = [np.asarray(c.m_prior) for c in comparisons], u_random, _PRIOR_MATCH_SHARE
    if same_side:
        all_pairs = left.height * (left.height - 1) / 2
    else:
        all_pairs = left.height * float(right_population or right.height)
    # The candidates' true pairs over all pairs (those blocking missed are few).
    share_all = min(share * candidate_levels.height / max(all_pairs, 1.0), 0.5)
    u_all = [
        _u_over_all(
            random_levels,
            comparison,
            level_m,
            share_all,
            _exact_share(left, right, same_side, comparison.key),
        )
        for comparison, level_m in zip(comparisons, m, strict=True)
    ]
    row_counts, typical = _term_counts(left, None if same_side else right, comparisons)
    return Model(
        comparisons,
        tuple(m),
        tuple(u),
        tuple(u_random),
        share,
        row_counts,
        typical,
        tuple(u_all),
        # No candidates: nothing says any pair is true, the view over all pairs abstains.
        max(share_all, 1e-12),
    )


def term_adjusted(
    model: Model, index: int, left_rows: pl.Series, level: pl.Series, over_all: bool = False
) -> pl.Series:
    """The weight of comparison `index` for pairs at `level` whose left rows are
    `left_rows` (among the candidates, or `over_all` pairs): exact agreement on a
    common value loses bits (see the module)."""
    comparison = model.comparisons[index]
    weights = model.weights(index, over_all)
    table = pl.Series(np.concatenate([[0.0], weights]))
    base = table.gather(level.cast(pl.UInt32))
    column = comparison.tf_column
    if column is None:
        return base
    rows = model.row_counts[column].gather(left_rows).cast(pl.Float64).to_numpy()
    excess = (rows - 1) / (model.typical[column] - 1)
    exact_weight = weights[0] - np.log2(np.maximum(excess, 1.0))
    return (
        pl.DataFrame({"base": base, "adjusted": exact_weight, "level": level})
        .select(pl.when(pl.col("level") == 1).then("adjusted").otherwise("base"))
        .to_series()
    )
