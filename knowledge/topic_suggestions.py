"""Topic suggestions: the taxonomy's topics closest in meaning to a document, for a curator to
confirm or reject. Each topic is embedded from its English and French labels and its description;
a document from the mean of its chunks. Measured on knowledge/data/topic_labelled.jsonl by
bench/topic_suggestions.py and asserted in knowledge/tests/test_topic_suggestions.py."""

from __future__ import annotations

import numpy as np

from knowledge.embeddings import embed, from_bytes
from knowledge.models import SuggestionStatus, TopicSuggestion
from topics.models import Topic

MAX_SUGGESTIONS = 3
# A topic is suggested when it is this close to the document, or within MARGIN of the best one.
MIN_SCORE = 0.30
MARGIN = 0.04


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


class TopicRanker:
    """The narrower topics and their vectors, embedded once for a batch of documents."""

    def __init__(self):
        self.topics = list(Topic.objects.filter(parent__isnull=False).order_by("pk"))
        texts = [f"{topic.label_en}. {topic.label_fr}. {topic.description}" for topic in self.topics]
        self.matrix = embed(texts)

    def rank(self, vector: np.ndarray) -> list[tuple[Topic, float]]:
        """The suggested topics for a document vector, best first."""
        if not self.topics:
            return []
        scores = self.matrix @ unit(vector)
        order = np.argsort(-scores)
        best = float(scores[order[0]])
        return [
            (self.topics[index], float(scores[index]))
            for index in order[:MAX_SUGGESTIONS]
            if scores[index] >= MIN_SCORE and scores[index] >= best - MARGIN
        ]

    def rank_text(self, text: str) -> list[tuple[Topic, float]]:
        from knowledge.text import chunk_text

        chunks = chunk_text(text) or [text]
        return self.rank(embed(chunks[:20]).mean(axis=0))

    def suggest(self, document, chunk_vectors=None, *, replace: bool = True) -> list[TopicSuggestion]:
        """Store the document's suggestions; confirmed and rejected topics stay as decided."""
        if chunk_vectors is None:
            chunk_vectors = [from_bytes(chunk.embedding) for chunk in document.chunks.all()[:50]]
        if not len(chunk_vectors):
            return []
        ranked = self.rank(np.mean(chunk_vectors, axis=0))
        decided = set()
        if replace:
            decided = set(
                document.topic_suggestions.exclude(status=SuggestionStatus.SUGGESTED).values_list(
                    "topic_id", flat=True
                )
            )
            document.topic_suggestions.filter(status=SuggestionStatus.SUGGESTED).delete()
        return TopicSuggestion.objects.bulk_create(
            [
                TopicSuggestion(document=document, topic=topic, score=score)
                for topic, score in ranked
                if topic.pk not in decided
            ]
        )
