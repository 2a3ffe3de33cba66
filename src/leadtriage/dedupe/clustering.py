"""Matched pairs -> clusters, guarded against chains.

Connected components alone chain: A matches B on an email, B matches C on a phone,
and A and C, who may be different people, end up in one cluster. So every
component of three or more rows is checked against its survivor (the best-ranked
row): a row joins the survivor's cluster when it matches the survivor directly, or
when it is reached through matched rows and nothing says it is a different person
from the survivor (names that cannot be one person's however they were typed,
business emails at different domains: ``name_agreement``, ``scoring``). The rows
left out form new components among themselves, checked the same way, round after
round.

A component of more than `LARGE_COMPONENT` rows is no person but a chain or a hub (a
switchboard phone, a shared inbox, a conference domain): checking its members
against a survivor round after round is quadratic in its size (a million-row export
spent minutes there). It is cut into stars instead: in rank order, each row not yet
placed becomes a survivor with its directly matched neighbours not yet placed. Only
direct matches merge there, so it cannot chain either.

A row matched on an initial to two rows that cannot be one person (J. Smith at a
switchboard beside Jane Smith and John Smith there) is either of them or neither: the
survivor check cannot tell, and when that row survives it takes both. It joins no
cluster; its matches go to review (``split_pairs``). Only initials: a full given name
matched to two typos of it (Thomas; Thomss, Thonas) is the person they were typed
from, and a row matched to two employers' addresses is the chain guard's to split.

Everything here walks rows in rank order, so the clusters do not depend on the
order of the input rows.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from leadtriage.dedupe.comparisons import NAME

Pair = tuple[int, int]
LARGE_COMPONENT: Final = 64
# A row with more matches on an initial than this is a hub (a shared inbox) whose
# neighbours' pairs would be too many to check; the survivor check alone guards it.
_MAX_AMBIGUOUS_DEGREE: Final = 16
# The evidence of a match on an initial of the given name (J. and John).
_ON_AN_INITIAL: Final = rf"(?:^|, ){re.escape(NAME.labels[4])}[ (]"
# Given (survivor, member) pairs, whether nothing says they are different people.
CompatibilityCheck = Callable[[list[Pair]], list[bool]]


@dataclass
class Clusters:
    """`survivor_of` maps every clustered row (survivors too) to its survivor;
    `link` maps every other member to (the row it was reached from, the evidence of
    that link); `split_pairs` are matched pairs the chain guard put apart."""

    survivor_of: dict[int, int] = field(default_factory=dict)
    link: dict[int, tuple[int, str]] = field(default_factory=dict)
    split_pairs: list[Pair] = field(default_factory=list)


def _components(nodes: Sequence[int], adjacency: dict[int, dict[int, str]]) -> list[list[int]]:
    """Connected components of the graph induced on `nodes`, two rows or more."""
    inside = set(nodes)
    seen: set[int] = set()
    found = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        stack, component = [start], [start]
        while stack:
            node = stack.pop()
            for neighbour in adjacency[node]:
                if neighbour in inside and neighbour not in seen:
                    seen.add(neighbour)
                    stack.append(neighbour)
                    component.append(neighbour)
        if len(component) > 1:
            found.append(component)
    return found


def _grow(
    survivor: int,
    component: list[int],
    adjacency: dict[int, dict[int, str]],
    compatible: dict[Pair, bool],
    rank: Sequence[int],
    clusters: Clusters,
) -> list[int]:
    """Breadth-first from the survivor through admissible rows; returns the rest."""
    inside = set(component)
    direct = adjacency[survivor]
    clusters.survivor_of[survivor] = survivor
    queue, reached = deque([survivor]), {survivor}
    while queue:
        node = queue.popleft()
        for neighbour in sorted(adjacency[node], key=rank.__getitem__):
            if neighbour not in inside or neighbour in reached:
                continue
            if neighbour in direct:
                clusters.link[neighbour] = (survivor, direct[neighbour])
            elif compatible.get((survivor, neighbour), False):
                clusters.link[neighbour] = (node, adjacency[node][neighbour])
            else:
                continue
            reached.add(neighbour)
            clusters.survivor_of[neighbour] = survivor
            queue.append(neighbour)
    return sorted(inside - reached, key=rank.__getitem__)


def _stars(
    component: list[int],
    adjacency: dict[int, dict[int, str]],
    rank: Sequence[int],
    clusters: Clusters,
) -> None:
    """A large component cut into survivors and their direct matches (module doc)."""
    inside = set(component)
    placed: set[int] = set()
    for node in sorted(component, key=rank.__getitem__):
        if node in placed:
            continue
        placed.add(node)
        members = [
            n
            for n in sorted(adjacency[node], key=rank.__getitem__)
            if n in inside and n not in placed
        ]
        if not members:
            continue
        clusters.survivor_of[node] = node
        for member in members:
            placed.add(member)
            clusters.survivor_of[member] = node
            clusters.link[member] = (node, adjacency[node][member])


def _place_lone_pairs(edges: pl.DataFrame, rank: pl.Series, clusters: Clusters) -> pl.DataFrame:
    """Place every matched pair whose two rows match no other row (most clusters at a
    million rows) as a cluster of two, the better-ranked row its survivor, as the
    general walk would, in bulk and without building its graph; return the other
    edges."""
    ends = pl.concat([edges["i"], edges["j"]])
    once = ends.filter(ends.is_unique()).implode()
    lone = edges["i"].is_in(once) & edges["j"].is_in(once)
    pairs = edges.filter(lone)
    i_first = pl.lit(rank.gather(pairs["i"]) < rank.gather(pairs["j"]))
    placed = pairs.select(
        pl.when(i_first).then("i").otherwise("j").alias("survivor"),
        pl.when(i_first).then("j").otherwise("i").alias("member"),
        "evidence",
    )
    survivors, members = placed["survivor"].to_list(), placed["member"].to_list()
    clusters.survivor_of.update(zip(survivors, survivors, strict=True))
    clusters.survivor_of.update(zip(members, survivors, strict=True))
    clusters.link.update(
        zip(members, zip(survivors, placed["evidence"].to_list(), strict=True), strict=True)
    )
    return edges.filter(~lone)


def _initial_matches(edges: pl.DataFrame) -> dict[int, list[int]]:
    """Per row matched on an initial to two rows or more (up to the hub limit), those
    rows, sorted: found by Polars over the edges' evidence, so the Python below runs
    for those few rows only."""
    on_initial = edges.filter(pl.col("evidence").str.contains(_ON_AN_INITIAL)).select("i", "j")
    ends = pl.concat(
        [
            on_initial.select(pl.col("i").alias("row"), pl.col("j").alias("other")),
            on_initial.select(pl.col("j").alias("row"), pl.col("i").alias("other")),
        ]
    )
    rows = (
        ends.group_by("row")
        .agg(pl.col("other").sort())
        .filter(pl.col("other").list.len().is_between(2, _MAX_AMBIGUOUS_DEGREE))
    )
    return dict(rows.iter_rows())


def _drop_ambiguous(
    edges: pl.DataFrame, adjacency: dict[int, dict[int, str]], check: CompatibilityCheck
) -> None:
    """Cut every row matched on an initial to two rows that cannot be one person out
    of `adjacency` (module doc)."""
    between = {
        node: [
            (a, b)
            for index, a in enumerate(others)
            for b in others[index + 1 :]
            if b not in adjacency[a]
        ]
        for node, others in _initial_matches(edges).items()
    }
    to_check = sorted({pair for pairs in between.values() for pair in pairs})
    if not to_check:
        return
    conflicting = {pair for pair, ok in zip(to_check, check(to_check), strict=True) if not ok}
    for node, pairs in between.items():
        if any(pair in conflicting for pair in pairs):
            for neighbour in adjacency[node]:
                del adjacency[neighbour][node]
            adjacency[node] = {}


def cluster_rows(edges: pl.DataFrame, rank: pl.Series, check: CompatibilityCheck) -> Clusters:
    """Cluster rows from matched `edges` (``i``, ``j``: rows; ``evidence``); `rank[row]`
    orders rows for survivorship (lower is better)."""
    clusters = Clusters()
    rest = _place_lone_pairs(edges, rank, clusters)
    ranks = rank.to_list()
    adjacency: dict[int, dict[int, str]] = {}
    pairs = list(rest.select("i", "j", "evidence").iter_rows())
    for a, b, evidence in pairs:
        adjacency.setdefault(a, {})[b] = evidence
        adjacency.setdefault(b, {})[a] = evidence
    _drop_ambiguous(rest, adjacency, check)
    nodes = sorted(adjacency, key=ranks.__getitem__)
    pending = _components(nodes, adjacency)
    while pending:
        for component in pending:
            if len(component) > LARGE_COMPONENT:
                _stars(component, adjacency, ranks, clusters)
        pending = [c for c in pending if len(c) <= LARGE_COMPONENT]
        if not pending:
            break
        survivors = [min(component, key=ranks.__getitem__) for component in pending]
        to_check = [
            (survivor, member)
            for survivor, component in zip(survivors, pending, strict=True)
            for member in component
            if member != survivor and member not in adjacency[survivor]
        ]
        compatible = dict(zip(to_check, check(to_check), strict=True)) if to_check else {}
        next_round: list[list[int]] = []
        for survivor, component in zip(survivors, pending, strict=True):
            left_out = _grow(survivor, component, adjacency, compatible, ranks, clusters)
            next_round.extend(_components(left_out, adjacency))
        pending = next_round
    # A lone pair is never split: only the walked edges can be.
    clusters.split_pairs = sorted(
        (a, b)
        for a, b, _ in pairs
        if clusters.survivor_of.get(a, a) != clusters.survivor_of.get(b, b)
    )
    return clusters
