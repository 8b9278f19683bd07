"""The assignment engine shared by expert staffing (experts.matching) and PICARD reviewer assignment.

It is framed as OpenReview's matcher and HotCRP's autoassigner frame paper assignment: rows are
candidates (experts, reviewers), columns are what they are assigned to (slots, papers);

- a **score matrix** is a weighted sum of named components, each in [0, 1], so every cell's score
  can be taken apart and explained (`ScoreMatrix.cell`, and the domain's `reasons(i, j)`);
- a **constraint matrix** holds hard rules (a boolean matrix per rule: True excludes the cell) and
  soft rules (a penalty matrix per rule), with a message per violated rule and cell (`explain`);
- each row has a **capacity** (the yearly limit left), each column a **demand** (people wanted), and
  **exclusive groups** are sets of columns a row may hold at most one of (overlapping dates:
  the maximal cliques of the columns' intervals, `overlap_groups`).

`solve` maximises the total effective score (score minus soft penalties) with SciPy's HiGHS `milp`
over binary cell variables; OpenReview's min-cost flow cannot express the exclusive groups, an
integer programme can. Each column keeps its best `candidates_per_column` cells plus the cells of the
greedy solution, so the solution is never worse than greedy's and the programme stays small (300
columns x 60 cells instead of 1.5 million cells). `greedy` is the baseline: best cell first.
Both return the assignment plus two alternates per column. Nothing here knows about experts: numpy
arrays and ids only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class ScoreMatrix:
    """rows x columns; `components[name]` in [0, 1], weighted by `weights[name]`."""

    row_ids: np.ndarray
    col_ids: np.ndarray
    weights: dict[str, float]
    components: dict[str, np.ndarray]
    reasons: Callable[[int, int], list[str]] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_ids), len(self.col_ids)

    def total(self) -> np.ndarray:
        total = np.zeros(self.shape, dtype=np.float32)
        for name, values in self.components.items():
            weight = self.weights.get(name, 0.0)
            if weight:
                total += np.float32(weight) * values
        return total

    def cell(self, i: int, j: int) -> dict[str, float]:
        """Each component's weighted contribution to cell (i, j)."""
        return {
            name: round(float(self.weights.get(name, 0.0) * values[i, j]), 4)
            for name, values in self.components.items()
        }

    def explain(self, i: int, j: int) -> list[str]:
        return self.reasons(i, j) if self.reasons else []


@dataclass(frozen=True)
class Violation:
    rule: str
    hard: bool
    message: str


@dataclass
class ConstraintMatrix:
    """Hard rules exclude cells (True: excluded); soft rules subtract a penalty (0: not triggered).
    `describe(rule, i, j)` words a violated rule for one cell (defaults to the rule's name)."""

    shape: tuple[int, int]
    hard: dict[str, np.ndarray] = field(default_factory=dict)
    soft: dict[str, np.ndarray] = field(default_factory=dict)
    describe: Callable[[str, int, int], str] | None = None

    def exclude(self, rule: str, cells: np.ndarray) -> None:
        cells = np.broadcast_to(np.asarray(cells, dtype=bool), self.shape)
        self.hard[rule] = self.hard[rule] | cells if rule in self.hard else cells.copy()

    def penalise(self, rule: str, penalty: np.ndarray | float, cells: np.ndarray) -> None:
        cells = np.broadcast_to(np.asarray(cells, dtype=bool), self.shape)
        values = np.where(cells, np.float32(1.0) * penalty, np.float32(0.0)).astype(np.float32)
        self.soft[rule] = np.maximum(self.soft[rule], values) if rule in self.soft else values

    def allowed(self) -> np.ndarray:
        allowed = np.ones(self.shape, dtype=bool)
        for cells in self.hard.values():
            allowed &= ~cells
        return allowed

    def penalty(self) -> np.ndarray:
        penalty = np.zeros(self.shape, dtype=np.float32)
        for values in self.soft.values():
            penalty += values
        return penalty

    def explain(self, i: int, j: int) -> list[Violation]:
        """The rules cell (i, j) breaks, hard ones first, each in words."""
        violations = []
        for hard, rules in ((True, self.hard), (False, self.soft)):
            for rule, values in rules.items():
                if values[i, j]:
                    message = self.describe(rule, i, j) if self.describe else rule
                    violations.append(Violation(rule, hard, message))
        return violations


@dataclass(frozen=True)
class GroupLimit:
    """At most `limit` of `rows` (row indices) on column `column`: "not all reviewers of a paper
    from one region" is a limit of k - 1 per region and paper."""

    column: int
    rows: np.ndarray
    limit: int


@dataclass
class AssignmentProblem:
    scores: ScoreMatrix
    constraints: ConstraintMatrix
    capacity: np.ndarray  # per row: how many columns it may still take
    demand: np.ndarray  # per column: how many rows it wants
    exclusive: list[np.ndarray] = field(default_factory=list)  # column groups: one per row at most
    group_limits: list[GroupLimit] = field(default_factory=list)

    def effective(self) -> np.ndarray:
        """Score minus penalties, -inf where a hard rule excludes the cell."""
        values = self.scores.total() - self.constraints.penalty()
        return np.where(self.constraints.allowed(), values, -np.inf).astype(np.float32)

    def clashes(self) -> np.ndarray:
        """columns x columns: True where one row may not hold both."""
        columns = len(self.demand)
        clash = np.zeros((columns, columns), dtype=bool)
        for group in self.exclusive:
            group = np.asarray(group, dtype=np.int64)
            clash[np.ix_(group, group)] = True
        np.fill_diagonal(clash, False)
        return clash


@dataclass
class Solution:
    method: str
    status: str
    assignments: dict  # column id -> [row id, ...] (demand many at most)
    alternates: dict  # column id -> [row id, row id]
    score: float
    seconds: float
    cells: list[tuple[int, int]] = field(default_factory=list)  # (row index, column index)
    variables: int = 0

    @property
    def filled(self) -> int:
        return len(self.cells)


def overlap_groups(starts: Iterable, ends: Iterable) -> list[np.ndarray]:
    """The maximal sets of columns whose [start, end] intervals overlap at one point (the maximal
    cliques of an interval graph). A column without dates (None or NaN) overlaps nothing."""
    starts = np.asarray([np.nan if value is None else value for value in starts], dtype=np.float64)
    ends = np.asarray([np.nan if value is None else value for value in ends], dtype=np.float64)
    ends = np.where(np.isnan(ends), starts, ends)
    dated = np.flatnonzero(~np.isnan(starts))
    cliques: list[frozenset] = []
    for point in np.unique(starts[dated]):
        active = dated[(starts[dated] <= point) & (ends[dated] >= point)]
        if len(active) > 1:
            cliques.append(frozenset(active.tolist()))
    cliques = list(dict.fromkeys(cliques))
    maximal = [clique for clique in cliques if not any(clique < other for other in cliques)]
    return [np.array(sorted(clique), dtype=np.int64) for clique in maximal]


def _alternates(problem: AssignmentProblem, effective: np.ndarray, cells, count: int = 2) -> dict:
    """Per column, the best `count` other rows: first those who could take it without breaking the
    plan (capacity left, no clash with what they hold), then any other allowed row."""
    rows, columns = effective.shape
    load = np.zeros(rows, dtype=np.int64)
    held: dict[int, list[int]] = {}
    assigned: dict[int, set[int]] = {}
    for i, j in cells:
        load[i] += 1
        held.setdefault(i, []).append(j)
        assigned.setdefault(j, set()).add(i)
    clash = problem.clashes()
    alternates = {}
    look = min(rows, max(64, 8 * count))
    for j in range(columns):
        column = effective[:, j]
        top = np.argpartition(-column, look - 1)[:look] if look < rows else np.arange(rows)
        order = top[np.argsort(-column[top], kind="stable")]
        free, others = [], []
        for i in order:
            if not np.isfinite(column[i]) or i in assigned.get(j, ()):
                continue
            fits = load[i] < problem.capacity[i] and not any(clash[j, k] for k in held.get(i, ()))
            (free if fits else others).append(int(i))
            if len(free) >= count:
                break
        chosen = (free + others)[:count]
        alternates[problem.scores.col_ids[j].item()] = [problem.scores.row_ids[i].item() for i in chosen]
    return alternates


def _solution(problem, effective, cells, *, method, status, seconds, variables=0) -> Solution:
    assignments = {col.item(): [] for col in problem.scores.col_ids}
    for i, j in sorted(cells, key=lambda cell: (cell[1], -effective[cell])):
        assignments[problem.scores.col_ids[j].item()].append(problem.scores.row_ids[i].item())
    score = float(sum(effective[i, j] for i, j in cells))
    return Solution(
        method=method,
        status=status,
        assignments=assignments,
        alternates=_alternates(problem, effective, cells),
        score=round(score, 4),
        seconds=round(seconds, 3),
        cells=list(cells),
        variables=variables,
    )


def greedy(problem: AssignmentProblem, *, effective: np.ndarray | None = None) -> Solution:
    """The baseline: take the best remaining cell while its column wants someone, its row has
    capacity left and holds no clashing column."""
    started = time.perf_counter()
    effective = problem.effective() if effective is None else effective
    cells = _greedy_cells(problem, effective)
    return _solution(
        problem, effective, cells, method="greedy", status="ok", seconds=time.perf_counter() - started
    )


def _greedy_cells(problem: AssignmentProblem, effective: np.ndarray) -> list[tuple[int, int]]:
    rows, columns = effective.shape
    flat = effective.ravel()
    usable = np.flatnonzero(np.isfinite(flat) & (flat > 0))
    order = usable[np.argsort(-flat[usable], kind="stable")]
    wanted = problem.demand.astype(np.int64).copy()
    left = problem.capacity.astype(np.int64).copy()
    clash = problem.clashes()
    limits_of: dict[tuple[int, int], list[int]] = {}  # (row, column) -> the group limits it counts in
    room = [limit.limit for limit in problem.group_limits]
    for number, limit in enumerate(problem.group_limits):
        for i in np.asarray(limit.rows, dtype=np.int64).tolist():
            limits_of.setdefault((i, limit.column), []).append(number)
    held: dict[int, list[int]] = {}
    cells = []
    open_columns = int((wanted > 0).sum())
    for index in order:
        if not open_columns:
            break
        i, j = divmod(int(index), columns)
        if wanted[j] <= 0 or left[i] <= 0:
            continue
        if any(clash[j, k] or k == j for k in held.get(i, ())):
            continue
        groups = limits_of.get((i, j), ())
        if any(room[number] <= 0 for number in groups):
            continue
        for number in groups:
            room[number] -= 1
        cells.append((i, j))
        held.setdefault(i, []).append(j)
        wanted[j] -= 1
        left[i] -= 1
        if wanted[j] == 0:
            open_columns -= 1
    return cells


def solve(
    problem: AssignmentProblem,
    *,
    candidates_per_column: int = 60,
    time_limit: float = 8.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[Solution, Solution]:
    """(the HiGHS solution, the greedy baseline), both on the same effective scores."""
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import coo_matrix

    started = time.perf_counter()
    effective = problem.effective()
    baseline = greedy(problem, effective=effective)
    rows, columns = effective.shape
    note = progress or (lambda message: None)

    # Candidate cells: each column's best, plus greedy's cells (so the optimum is never below it).
    chosen = np.zeros(effective.shape, dtype=bool)
    usable = np.isfinite(effective) & (effective > 0)
    keep = min(candidates_per_column, rows)
    if keep >= rows:
        chosen[:] = True
    elif keep:
        masked = np.where(usable, effective, -np.inf)
        best = np.argpartition(-masked, keep - 1, axis=0)[:keep]
        chosen[best, np.arange(columns)[None, :]] = True
    for i, j in baseline.cells:
        chosen[i, j] = True
    chosen &= usable
    var_rows, var_cols = np.nonzero(chosen)
    weights = effective[var_rows, var_cols].astype(np.float64)
    count = len(weights)
    note(f"{count} candidate cells")
    if not count:
        return _solution(
            problem, effective, [], method="milp", status="empty", seconds=time.perf_counter() - started
        ), baseline

    constraint_rows, constraint_cols, upper = [], [], []
    line = 0
    # Each column: at most its demand.
    constraint_rows.append(var_cols.astype(np.int64))
    constraint_cols.append(np.arange(count))
    upper.append(problem.demand.astype(np.float64))
    line += columns
    # Each row: at most its capacity (only rows with more candidate cells than capacity).
    per_row = np.bincount(var_rows, minlength=rows)
    binding = np.flatnonzero(per_row > problem.capacity)
    if len(binding):
        index_of = np.full(rows, -1, dtype=np.int64)
        index_of[binding] = np.arange(len(binding)) + line
        selected = index_of[var_rows] >= 0
        constraint_rows.append(index_of[var_rows][selected])
        constraint_cols.append(np.flatnonzero(selected))
        upper.append(problem.capacity[binding].astype(np.float64))
        line += len(binding)
    # Each exclusive group: at most one of its columns per row.
    for group in problem.exclusive:
        member = np.zeros(columns, dtype=bool)
        member[np.asarray(group, dtype=np.int64)] = True
        inside = np.flatnonzero(member[var_cols])
        if len(inside) < 2:
            continue
        group_rows = var_rows[inside]
        unique, inverse, counts = np.unique(group_rows, return_inverse=True, return_counts=True)
        several = counts[inverse] > 1
        if not several.any():
            continue
        numbered = np.full(len(unique), -1, dtype=np.int64)
        multi = np.flatnonzero(counts > 1)
        numbered[multi] = np.arange(len(multi)) + line
        constraint_rows.append(numbered[inverse[several]])
        constraint_cols.append(inside[several])
        upper.append(np.ones(len(multi)))
        line += len(multi)

    # Each group limit: at most `limit` of its rows on its column.
    for limit in problem.group_limits:
        member = np.zeros(rows, dtype=bool)
        member[np.asarray(limit.rows, dtype=np.int64)] = True
        inside = np.flatnonzero((var_cols == limit.column) & member[var_rows])
        if len(inside) <= limit.limit:
            continue
        constraint_rows.append(np.full(len(inside), line, dtype=np.int64))
        constraint_cols.append(inside)
        upper.append(np.array([float(limit.limit)]))
        line += 1

    matrix = coo_matrix(
        (
            np.ones(sum(len(part) for part in constraint_cols)),
            (np.concatenate(constraint_rows), np.concatenate(constraint_cols)),
        ),
        shape=(line, count),
    ).tocsr()
    note(f"solving: {count} variables, {line} constraints")
    result = milp(
        c=-weights,
        constraints=LinearConstraint(matrix, -np.inf, np.concatenate(upper)),
        integrality=np.ones(count),
        bounds=(0, 1),
        options={"time_limit": max(0.5, time_limit - (time.perf_counter() - started)), "mip_rel_gap": 1e-6},
    )
    if result.x is None:
        cells, status = baseline.cells, f"fallback to greedy ({result.message})"
    else:
        picked = np.flatnonzero(result.x > 0.5)
        cells = list(zip(var_rows[picked].tolist(), var_cols[picked].tolist(), strict=True))
        status = "optimal" if result.status == 0 else f"time limit ({result.message})"
        if sum(effective[i, j] for i, j in cells) < baseline.score - 1e-6:
            cells, status = baseline.cells, "greedy kept (solver stopped early)"
    solution = _solution(
        problem,
        effective,
        cells,
        method="milp",
        status=status,
        seconds=time.perf_counter() - started,
        variables=count,
    )
    return solution, baseline
