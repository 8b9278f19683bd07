"""The shared assignment engine (core.assignment): feasible, within every constraint, never below
greedy, and explained cell by cell."""

import itertools

import numpy as np
import pytest

from core.assignment import (
    AssignmentProblem,
    ConstraintMatrix,
    ScoreMatrix,
    greedy,
    overlap_groups,
    solve,
)


def random_problem(seed: int, rows: int = 60, columns: int = 25, capacity: int = 2):
    rng = np.random.default_rng(seed)
    scores = ScoreMatrix(
        row_ids=np.arange(rows) + 1000,
        col_ids=np.arange(columns) + 1,
        weights={"fit": 0.7, "language": 0.3},
        components={
            "fit": rng.random((rows, columns), dtype=np.float32),
            "language": (rng.random((rows, columns)) < 0.5).astype(np.float32),
        },
    )
    constraints = ConstraintMatrix((rows, columns))
    constraints.exclude("conflict", rng.random((rows, columns)) < 0.4)
    constraints.penalise("working_language", 0.2, rng.random((rows, columns)) < 0.2)
    starts = rng.integers(0, 60, columns)
    ends = starts + rng.integers(0, 5, columns)
    return (
        AssignmentProblem(
            scores,
            constraints,
            capacity=rng.integers(0, capacity + 1, rows),
            demand=np.ones(columns, dtype=np.int64),
            exclusive=overlap_groups(starts, ends),
        ),
        starts,
        ends,
    )


def check_feasible(problem: AssignmentProblem, solution, starts, ends) -> None:
    allowed = problem.constraints.allowed()
    rows = {row_id: i for i, row_id in enumerate(problem.scores.row_ids.tolist())}
    columns = {col_id: j for j, col_id in enumerate(problem.scores.col_ids.tolist())}
    held: dict[int, list[int]] = {}
    for col_id, row_ids in solution.assignments.items():
        j = columns[col_id]
        assert len(row_ids) <= problem.demand[j]
        for row_id in row_ids:
            i = rows[row_id]
            assert allowed[i, j], "a hard rule was broken"
            held.setdefault(i, []).append(j)
    for i, held_columns in held.items():
        assert len(held_columns) <= problem.capacity[i], "a capacity was exceeded"
        for a, b in itertools.combinations(held_columns, 2):
            assert not (starts[a] <= ends[b] and starts[b] <= ends[a]), "double booking"


@pytest.mark.parametrize("seed", range(8))
def test_solver_feasible_within_constraints_and_never_below_greedy(seed):
    problem, starts, ends = random_problem(seed)
    solution, baseline = solve(problem, candidates_per_column=15)
    check_feasible(problem, solution, starts, ends)
    check_feasible(problem, baseline, starts, ends)
    assert solution.status in {"optimal"} or solution.status.startswith("time limit")
    assert solution.score >= baseline.score - 1e-6
    effective = problem.effective()
    assert solution.score == pytest.approx(sum(effective[i, j] for i, j in solution.cells), abs=1e-3)


def test_solver_beats_greedy_where_greedy_is_myopic():
    # Greedy gives the best cell (row 0, column 0) and leaves column 1 with nobody; the optimum
    # swaps them: 0.8 + 0.7 > 0.9.
    scores = ScoreMatrix(
        row_ids=np.array([10, 11]),
        col_ids=np.array([1, 2]),
        weights={"fit": 1.0},
        components={"fit": np.array([[0.9, 0.8], [0.7, 0.0]], dtype=np.float32)},
    )
    constraints = ConstraintMatrix((2, 2))
    constraints.exclude("not_in_pool", np.array([[False, False], [False, True]]))
    problem = AssignmentProblem(scores, constraints, capacity=np.array([1, 1]), demand=np.array([1, 1]))
    solution, baseline = solve(problem)
    assert baseline.assignments == {1: [10], 2: []}
    assert solution.assignments == {1: [11], 2: [10]}
    assert solution.score == pytest.approx(1.5)
    assert baseline.score == pytest.approx(0.9)


def test_exclusive_groups_stop_double_booking_and_capacity_is_respected():
    # One excellent row, three overlapping columns and one separate column; capacity 2.
    rows, columns = 3, 4
    fit = np.full((rows, columns), 0.2, dtype=np.float32)
    fit[0] = 1.0
    scores = ScoreMatrix(np.arange(rows), np.arange(columns), {"fit": 1.0}, {"fit": fit})
    problem = AssignmentProblem(
        scores,
        ConstraintMatrix((rows, columns)),
        capacity=np.array([2, 1, 1]),
        demand=np.ones(columns, dtype=np.int64),
        exclusive=overlap_groups([1, 2, 3, 10], [5, 6, 7, 11]),
    )
    solution, baseline = solve(problem)
    held = [j for j, taken in solution.assignments.items() if 0 in taken]
    assert len(held) == 2 and 3 in held  # one of the overlapping columns and the separate one
    assert solution.filled == 4  # rows 1 and 2 take the other two overlapping columns
    assert solution.score >= baseline.score


def test_overlap_groups_are_the_maximal_cliques():
    groups = overlap_groups([1, 2, 6, 20, None], [3, 7, 8, 21, None])
    assert sorted(map(list, groups)) == [[0, 1], [1, 2]]


def test_constraint_matrix_explains_each_excluded_cell():
    constraints = ConstraintMatrix((2, 2), describe=lambda rule, i, j: f"{rule} at {i},{j}")
    constraints.exclude("own_administration", np.array([[True, False], [False, False]]))
    constraints.penalise("working_language", 0.1, np.array([[True, True], [False, False]]))
    assert [(v.rule, v.hard, v.message) for v in constraints.explain(0, 0)] == [
        ("own_administration", True, "own_administration at 0,0"),
        ("working_language", False, "working_language at 0,0"),
    ]
    assert constraints.explain(1, 1) == []
    assert constraints.allowed().tolist() == [[False, True], [True, True]]
    assert constraints.penalty()[0, 1] == pytest.approx(0.1)


def test_alternates_are_two_other_allowed_rows_best_first():
    fit = np.array([[0.9], [0.8], [0.7], [0.6]], dtype=np.float32)
    scores = ScoreMatrix(np.array([1, 2, 3, 4]), np.array([7]), {"fit": 1.0}, {"fit": fit})
    constraints = ConstraintMatrix((4, 1))
    constraints.exclude("conflict", np.array([[False], [True], [False], [False]]))
    problem = AssignmentProblem(scores, constraints, capacity=np.ones(4), demand=np.ones(1))
    solution, baseline = solve(problem)
    assert solution.assignments == {7: [1]}
    assert solution.alternates == {7: [3, 4]}
    assert greedy(problem).alternates == {7: [3, 4]}


def test_score_matrix_takes_a_cell_apart():
    scores = ScoreMatrix(
        np.array([1]),
        np.array([1]),
        {"a": 0.25, "b": 0.75},
        {"a": np.array([[1.0]], np.float32), "b": np.array([[0.5]], np.float32)},
        reasons=lambda i, j: ["because"],
    )
    assert scores.cell(0, 0) == {"a": 0.25, "b": 0.375}
    assert scores.total()[0, 0] == pytest.approx(0.625)
    assert scores.explain(0, 0) == ["because"]
