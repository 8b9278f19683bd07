"""Ranking figures shared by the evaluations (search, expert shortlists, reviewer affinity)."""

from __future__ import annotations

import math


def dcg(gains: list[float]) -> float:
    """Discounted cumulative gain with linear gains: a grade at rank r counts grade / log2(r + 1)."""
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at_k(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    """nDCG@k for graded judgements, in the standard form: the ranking's DCG over the DCG of the
    grades sorted best first, so a perfect ranking scores 1.0 whatever the grades."""
    ideal = dcg(sorted((grade for grade in relevant.values() if grade > 0), reverse=True)[:k])
    if not ideal:
        return 0.0
    return dcg([relevant.get(doc, 0) for doc in ranked[:k]]) / ideal
