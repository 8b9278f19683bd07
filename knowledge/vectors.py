"""The semantic index: every chunk's embedding in one in-memory matrix per process.

It is the SQLite-and-PostgreSQL equivalent of a vector extension (pgvector cannot be installed from
this project's package registries): the vectors live in the database (Chunk.embedding) and each
process keeps a float32 matrix of them, reloaded when IndexGeneration moves. A query is one matrix
product (about 15 ms for 200,000 chunks on 2 cores); the best documents are then checked against the
user's permissions in SQL, widening the candidates until enough permitted ones are found.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from knowledge.embeddings import DIMENSIONS
from knowledge.models import Chunk, IndexGeneration


def current_generation() -> int:
    return IndexGeneration.objects.values_list("generation", flat=True).first() or 0


def bump_generation() -> None:
    """Mark the chunks as changed. The value is a clock reading, not a counter, so a rolled-back
    change can never leave a later one with a generation a process has already loaded."""
    stamp = time.time_ns()
    if not IndexGeneration.objects.update(generation=stamp):
        IndexGeneration.objects.create(generation=stamp)


class VectorIndex:
    def __init__(self):
        self.lock = threading.Lock()
        self.generation = -1
        self.chunk_ids = np.empty(0, dtype=np.int64)
        self.document_ids = np.empty(0, dtype=np.int64)
        self.matrix = np.empty((0, DIMENSIONS), dtype=np.float32)

    def refresh(self) -> None:
        generation = current_generation()
        if generation == self.generation:
            return
        with self.lock:
            if generation == self.generation:
                return
            rows = (
                Chunk.objects.order_by("pk")
                .values_list("pk", "document_id", "embedding")
                .iterator(chunk_size=5000)
            )
            chunk_ids, document_ids, vectors = [], [], []
            for chunk_id, document_id, embedding in rows:
                chunk_ids.append(chunk_id)
                document_ids.append(document_id)
                vectors.append(bytes(embedding))
            self.matrix = (
                np.frombuffer(b"".join(vectors), dtype=np.float32).reshape(-1, DIMENSIONS)
                if vectors
                else np.empty((0, DIMENSIONS), dtype=np.float32)
            )
            self.chunk_ids = np.array(chunk_ids, dtype=np.int64)
            self.document_ids = np.array(document_ids, dtype=np.int64)
            self.generation = generation

    def scores(self, query_vector: np.ndarray):
        """(document ids, chunk ids, cosine) of every chunk."""
        self.refresh()
        return self.document_ids, self.chunk_ids, self.matrix @ query_vector

    def best_documents(
        self, query_vector: np.ndarray, permitted, *, limit: int = 200
    ) -> dict[int, tuple[float, int]]:
        """{document id: (best chunk cosine, that chunk's id)} for the top `limit` permitted documents.

        `permitted(ids)` returns the subset of ids the user may see (None: all). Candidates are taken
        best first and checked in growing rounds until `limit` permitted documents are found, so the
        permission decides what is ranked, not what is left of a ranked page.
        """
        documents, chunks, scores = self.scores(query_vector)
        best: dict[int, tuple[float, int]] = {}
        take, seen = min(len(scores), limit * 4), 0
        while take > seen:
            top = np.argpartition(-scores, take - 1)[:take] if take < len(scores) else np.arange(len(scores))
            ordered = top[np.argsort(-scores[top])][seen:]
            candidates: dict[int, tuple[float, int]] = {}
            for row in ordered:
                document = int(documents[row])
                if document not in best and document not in candidates:
                    candidates[document] = (float(scores[row]), int(chunks[row]))
            allowed = permitted(list(candidates)) if permitted is not None else set(candidates)
            for document, value in candidates.items():
                if document in allowed and len(best) < limit:
                    best[document] = value
            if len(best) >= limit or take == len(scores):
                break
            seen, take = take, min(len(scores), take * 4)
        return dict(sorted(best.items(), key=lambda item: -item[1][0]))

    def document_scores(self, query_vector: np.ndarray, document_ids: list[int]) -> dict[int, float]:
        """The best chunk cosine of each of these documents (for lexical hits outside the dense top)."""
        self.refresh()
        rows = np.isin(self.document_ids, np.array(document_ids, dtype=np.int64))
        best: dict[int, float] = {}
        for document, score in zip(
            self.document_ids[rows].tolist(), (self.matrix[rows] @ query_vector).tolist(), strict=True
        ):
            if score > best.get(document, -2.0):
                best[document] = score
        return best

    def document_vector(self, document_id: int) -> np.ndarray | None:
        self.refresh()
        rows = self.matrix[self.document_ids == document_id]
        if not len(rows):
            return None
        mean = rows.mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-9)


_index = VectorIndex()


def index() -> VectorIndex:
    return _index
