"""Precision and recall of the topic suggestions on our labelled customs texts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

LABELLED = Path(__file__).resolve().parent / "data" / "topic_labelled.jsonl"


@dataclass
class Scores:
    texts: int
    suggested: int
    correct: int
    expected: int

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0


def evaluate_suggestions() -> Scores:
    from knowledge.topic_suggestions import TopicRanker

    ranker = TopicRanker()
    rows = [json.loads(line) for line in LABELLED.open(encoding="utf-8") if line.strip()]
    suggested = correct = expected = 0
    for row in rows:
        found = {topic.slug for topic, _score in ranker.rank_text(row["text"])}
        gold = set(row["topics"])
        suggested += len(found)
        correct += len(found & gold)
        expected += len(gold)
    return Scores(len(rows), suggested, correct, expected)
