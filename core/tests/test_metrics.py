"""The ranking figures every evaluation reports."""

import math

from core.metrics import dcg, ndcg_at_k


def test_a_perfect_graded_ranking_scores_one():
    relevant = {"a": 2, "b": 1, "c": 1}
    assert ndcg_at_k(["a", "b", "c", "x"], relevant) == 1.0
    assert ndcg_at_k(["a", "c", "b"], relevant) == 1.0  # equal grades in any order


def test_graded_judgements_never_score_above_one():
    relevant = {"a": 2, "b": 2}
    assert ndcg_at_k(["b", "a"], relevant) == 1.0
    assert 0 < ndcg_at_k(["x", "a", "b"], relevant) < 1.0


def test_the_ideal_comes_from_the_sorted_grades():
    relevant = {"a": 1, "b": 2}
    expected = (1 / math.log2(2) + 2 / math.log2(3)) / (2 / math.log2(2) + 1 / math.log2(3))
    assert math.isclose(ndcg_at_k(["a", "b"], relevant), expected)
    assert ndcg_at_k(["x"], {}) == 0.0
    assert dcg([3, 0, 1]) == 3 + 1 / 2
