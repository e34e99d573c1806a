"""Statistical disclosure control of linked frequency tables.

Every table the public may ask for (each dimension alone and each pair,
with the grand total) is a set of sums over one hidden table: the counts of
records in each combination of *all* the dimensions (the cube). Protection
is decided once for the whole set, so no combination of answers says more
than the set does:

- primary suppression: a published cell counting 1 to threshold-1 records;
- secondary suppression: more cells, until the audit below passes;
- the audit, as tau-Argus audits a pattern: for each suppressed cell, the
  smallest and largest value the cube could give it while agreeing with
  every published cell (a linear programme over the cube's cells, solved by
  HiGHS through SciPy). Each interval must be at least `protection` wide.

Zeros are published: an empty combination holds nobody to disclose. The
unknowns are what an outsider cannot rule out: every combination of shown
values whose pairs the two-way tables show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

__all__ = ["Cell", "Pattern", "protect", "audit", "feasible_interval"]

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Cell:
    """One published cell: the table (the dimensions it groups by, in the
    cube's order) and its key (a value per dimension of the table)."""

    table: tuple[int, ...]
    key: Key


@dataclass
class Pattern:
    cube: dict[Key, int]  # every non-empty combination of all dimensions, and its count
    unknowns: list[Key]  # the combinations the audit solves for (see _unknowns)
    cells: dict[Cell, int]  # every published cell, and its true count
    members: dict[Cell, list[int]]  # the cube cells (by index) each published cell sums
    suppressed: set[Cell] = field(default_factory=set)
    primary: set[Cell] = field(default_factory=set)
    rounding: int = 0

    def published(self, cell: Cell) -> int | None:
        """What is shown: None for a suppressed cell, else the count (rounded)."""
        if cell in self.suppressed:
            return None
        value = self.cells[cell]
        return _round(value, self.rounding) if self.rounding else value


def _round(value: int, base: int) -> int:
    return int(base * round(value / base))


def tables(dimensions: int) -> list[tuple[int, ...]]:
    """The tables published: the grand total, each dimension, each pair."""
    out: list[tuple[int, ...]] = [()]
    out += [(i,) for i in range(dimensions)]
    out += [(i, j) for i in range(dimensions) for j in range(i + 1, dimensions)]
    return out


MAX_UNKNOWNS = 50_000  # past this, the audit takes only the non-empty combinations as unknowns


def _unknowns(cube: dict[Key, int], dimensions: int) -> list[Key]:
    """What an outsider must treat as unknown: every combination of the
    values the tables show whose every pair of values the two-way tables
    show too (a pair they leave out is a published zero). Wider than the
    combinations that really hold records, so the audit judges the
    protection from the outsider's side."""
    if dimensions < 2:
        return sorted(cube, key=repr)
    values = [sorted({k[i] for k in cube}, key=repr) for i in range(dimensions)]
    pairs = {(i, j): {(k[i], k[j]) for k in cube} for i in range(dimensions) for j in range(i + 1, dimensions)}
    combos: list[Key] = [(v,) for v in values[0]]
    for d in range(1, dimensions):
        combos = [c + (v,) for c in combos for v in values[d]
                  if all((c[i], v) in pairs[(i, d)] for i in range(d))]
        if len(combos) > MAX_UNKNOWNS:
            return sorted(cube, key=repr)
    return combos


def _build(cube: dict[Key, int], dimensions: int) -> tuple[list[Key], dict[Cell, int], dict[Cell, list[int]]]:
    unknowns = _unknowns(cube, dimensions)
    cells: dict[Cell, int] = {}
    members: dict[Cell, list[int]] = {}
    for key, count in cube.items():
        for table in tables(dimensions):
            cell = Cell(table, tuple(key[i] for i in table))
            cells[cell] = cells.get(cell, 0) + count
    for index, key in enumerate(unknowns):
        for table in tables(dimensions):
            cell = Cell(table, tuple(key[i] for i in table))
            if cell in cells:
                members.setdefault(cell, []).append(index)
    return unknowns, cells, members


def feasible_interval(pattern: Pattern, cell: Cell) -> tuple[float, float]:
    """The least and greatest value CELL can take given what is published."""
    low, high = _intervals(pattern, [cell])[cell]
    return low, high


def _system(pattern: Pattern):
    """The published cells as constraints on the cube's cells: (shown cells,
    A_ub, b_ub, A_eq, b_eq)."""
    n = len(pattern.unknowns)
    shown = [c for c in pattern.cells if c not in pattern.suppressed]
    rows, cols = [], []
    for r, c in enumerate(shown):
        rows += [r] * len(pattern.members[c])
        cols += pattern.members[c]
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(shown), n))
    if pattern.rounding:
        # a rounded figure says only that the count lies within half a base of it
        half = pattern.rounding / 2
        rounded = np.array([_round(pattern.cells[c], pattern.rounding) for c in shown], dtype=float)
        return shown, _stack(matrix, -matrix), np.concatenate([rounded + half, -(rounded - half)]), None, None
    return shown, None, None, matrix, np.array([pattern.cells[c] for c in shown], dtype=float)


def _solve(pattern: Pattern, system, cell: Cell, sense: float):
    shown, a_ub, b_ub, a_eq, b_eq = system
    objective = np.zeros(len(pattern.unknowns))
    objective[pattern.members[cell]] = 1.0
    result = linprog(sense * objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None),
                     method="highs")
    if result.status not in (0, 3):
        raise RuntimeError(f"the disclosure audit could not solve for {cell}: {result.message}")
    return result


def _intervals(pattern: Pattern, asked: Iterable[Cell]) -> dict[Cell, tuple[float, float]]:
    system = _system(pattern)
    out = {}
    for cell in asked:
        low, high = _solve(pattern, system, cell, 1.0), _solve(pattern, system, cell, -1.0)
        out[cell] = (low.fun if low.status == 0 else 0.0, -high.fun if high.status == 0 else float("inf"))
    return out


def _binding(pattern: Pattern, cell: Cell) -> list[Cell]:
    """The published cells that hold CELL's interval narrow: those whose
    constraint has a non-zero dual value at either end."""
    system = _system(pattern)
    shown = system[0]
    found: set[Cell] = set()
    for sense in (1.0, -1.0):
        result = _solve(pattern, system, cell, sense)
        if result.status != 0:
            continue
        duals = result.eqlin.marginals if system[3] is not None else result.ineqlin.marginals
        for i, dual in enumerate(duals):
            if abs(dual) > 1e-9:
                found.add(shown[i % len(shown)])
    return sorted(found, key=_order)


def _stack(a: csr_matrix, b: csr_matrix) -> csr_matrix:
    return vstack([a, b]).tocsr()


def audit(pattern: Pattern, protection: float, cells: Iterable[Cell] | None = None) -> list[tuple[Cell, float, float]]:
    """The suppressed cells whose feasible interval is narrower than
    PROTECTION, with the interval (empty when the pattern holds)."""
    asked = sorted(cells if cells is not None else pattern.suppressed, key=_order)
    return [(c, lo, hi) for c, (lo, hi) in _intervals(pattern, asked).items() if hi - lo < protection]


def _order(cell: Cell) -> tuple[Any, ...]:
    return (len(cell.table), cell.table, repr(cell.key))


def _partner(pattern: Pattern, weak: Cell) -> Cell | None:
    """The cell to suppress next to protect WEAK, the smallest of the first
    group that has one: in its table, the cells sharing all but one of its
    coordinates (its row or column); the cells of larger tables that split
    it; then the published cells that pin it (the audit's binding
    constraints), finest table first.
    The grand total is not among them: the other cells are protected around it."""
    def candidates(pred) -> list[Cell]:
        return [c for c in pattern.cells
                if c not in pattern.suppressed and c.table and pred(c) and pattern.cells[c] > 0]

    t = weak.table
    members = set(pattern.members[weak])

    def agrees(c: Cell, dims: tuple[int, ...]) -> bool:
        return all(weak.key[t.index(d)] == c.key[c.table.index(d)] for d in dims)

    line = candidates(lambda c: c.table == t and len(t) > 0
                      and sum(a != b for a, b in zip(c.key, weak.key, strict=True)) == 1)
    split = candidates(lambda c: set(t) < set(c.table) and agrees(c, t))
    # a small count hides behind a neighbour; a cell hidden only to protect
    # another is opened up from below, so that its neighbours (often whole
    # totals) stay published
    for group in ([line, split] if weak in pattern.primary else [split]):
        if group:
            return min(group, key=lambda c: (pattern.cells[c], _order(c)))
    # The cells around it are hidden and it is still pinned, by sums
    # elsewhere: hide the smallest of the published cells the audit's
    # solution leans on, in the finest table, so that the totals people read
    # most stay published.
    binding = [c for c in _binding(pattern, weak) if c.table and pattern.cells[c] > 0]
    if binding:
        return min(binding, key=lambda c: (-len(c.table), pattern.cells[c], _order(c)))
    if line:
        return min(line, key=lambda c: (pattern.cells[c], _order(c)))
    rest = candidates(lambda c: not members.isdisjoint(pattern.members[c]) or c.table == t)
    return min(rest, key=lambda c: (-len(c.table), pattern.cells[c], _order(c))) if rest else None


def protect(cube: dict[Key, int], dimensions: int, threshold: int, protection: float,
            rounding: int = 0) -> Pattern:
    """The suppression pattern of the linked tables over CUBE: deterministic
    (the same data always gives the same pattern), audited before it is
    returned."""
    unknowns, cells, members = _build(cube, dimensions)
    pattern = Pattern(cube=dict(sorted(cube.items(), key=lambda kv: repr(kv[0]))), unknowns=unknowns, cells=cells,
                      members=members, rounding=rounding)
    pattern.primary = {c for c, v in cells.items() if 0 < v < threshold}
    pattern.suppressed = set(pattern.primary)
    # A cell once protected stays protected: suppressing more only removes
    # constraints. So each cell is audited until it passes, then left.
    pending = sorted(pattern.suppressed, key=_order)
    while pending:
        weak = audit(pattern, protection, pending)
        if not weak:
            break
        cell = weak[0][0]
        partner = _partner(pattern, cell)
        if partner is None:
            # nothing is left to hide it behind but the grand total: so few
            # records that every other cell is hidden already. Hide the total too.
            total = Cell((), ())
            if total in pattern.suppressed:
                raise RuntimeError(f"no suppression pattern protects {cell}")
            partner = total
        extra = {partner}
        pattern.suppressed |= extra
        pending = sorted({c for c, _, _ in weak} | extra, key=_order)
    return pattern
