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

Everything here walks rows in rank order, so the clusters do not depend on the
order of the input rows.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final

Pair = tuple[int, int]
LARGE_COMPONENT: Final = 64
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


def _place_lone_pairs(
    edges: Sequence[tuple[int, int, str]], rank: Sequence[int], clusters: Clusters
) -> list[tuple[int, int, str]]:
    """Place every matched pair whose two rows match no other row (most clusters at a
    million rows) as a cluster of two, the better-ranked row its survivor, as the
    general walk would, without building its graph; return the other edges."""
    degree: Counter[int] = Counter()
    for a, b, _ in edges:
        degree[a] += 1
        degree[b] += 1
    rest = []
    for a, b, evidence in edges:
        if degree[a] > 1 or degree[b] > 1:
            rest.append((a, b, evidence))
            continue
        survivor, member = (a, b) if rank[a] < rank[b] else (b, a)
        clusters.survivor_of[survivor] = survivor
        clusters.survivor_of[member] = survivor
        clusters.link[member] = (survivor, evidence)
    return rest


def cluster_rows(
    edges: Sequence[tuple[int, int, str]],
    rank: Sequence[int],
    check: CompatibilityCheck,
) -> Clusters:
    """Cluster rows from matched `edges` (row, row, evidence); `rank[row]` orders
    rows for survivorship (lower is better)."""
    clusters = Clusters()
    edges = _place_lone_pairs(edges, rank, clusters)
    adjacency: dict[int, dict[int, str]] = {}
    for a, b, evidence in edges:
        adjacency.setdefault(a, {})[b] = evidence
        adjacency.setdefault(b, {})[a] = evidence
    nodes = sorted(adjacency, key=rank.__getitem__)
    pending = _components(nodes, adjacency)
    while pending:
        for component in pending:
            if len(component) > LARGE_COMPONENT:
                _stars(component, adjacency, rank, clusters)
        pending = [c for c in pending if len(c) <= LARGE_COMPONENT]
        if not pending:
            break
        survivors = [min(component, key=rank.__getitem__) for component in pending]
        to_check = [
            (survivor, member)
            for survivor, component in zip(survivors, pending, strict=True)
            for member in component
            if member != survivor and member not in adjacency[survivor]
        ]
        compatible = dict(zip(to_check, check(to_check), strict=True)) if to_check else {}
        next_round: list[list[int]] = []
        for survivor, component in zip(survivors, pending, strict=True):
            left_out = _grow(survivor, component, adjacency, compatible, rank, clusters)
            next_round.extend(_components(left_out, adjacency))
        pending = next_round
    clusters.split_pairs = sorted(
        (a, b)
        for a, b, _ in edges
        if clusters.survivor_of.get(a, a) != clusters.survivor_of.get(b, b)
    )
    return clusters
