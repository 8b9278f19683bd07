"""Search quality and speed of the product's own ingestion and search, on BEIR SciFact.

    .venv/bin/python bench/search_quality.py            # ../shared/bench/scifact, SQLite in bench/
    .venv/bin/python bench/search_quality.py --scale    # also: p95 over 200,000 synthetic chunks
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_search python bench/search_quality.py

Ingests corpus.jsonl through knowledge.ingestion (extraction, language, chunks, embeddings, full-text
index, topic suggestions), then runs the 809 training queries through knowledge.retrieval.rank as a
signed-in user and prints nDCG@10, recall@100, ingestion rate, index build time, p50/p95 latency of
one query at a time, and peak memory. The data is read from ../shared/bench, never copied here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'search.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cbhub-bench-media-"))
DATA = Path(os.environ.get("SCIFACT_DIR", ROOT.parent / "shared" / "bench" / "scifact"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


class Quiet:
    """A progress sink that counts outcomes instead of saving them to a job row."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.failures: list[str] = []

    def item(self, name, status, reason="", **extra):
        self.counts[status] = self.counts.get(status, 0) + 1
        if status == "failed":
            self.failures.append(f"{name}: {reason}")


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    # The ideal is the grades sorted best first (a graded set used to score above 1.0 per query).
    from core.metrics import ndcg_at_k

    return ndcg_at_k(ranked, relevant, 10)


def load():
    corpus = [json.loads(line) for line in (DATA / "corpus.jsonl").open(encoding="utf-8")]
    queries = {row["_id"]: row["text"] for row in map(json.loads, (DATA / "queries_train.jsonl").open())}
    qrels: dict[str, dict[str, int]] = {}
    for line in list((DATA / "qrels_train.tsv").open())[1:]:
        query, doc, score = line.split()
        qrels.setdefault(query, {})[doc] = int(score)
    return corpus, queries, qrels


def ingest_corpus(corpus, user) -> tuple[float, Quiet]:
    from knowledge.ingestion import Incoming, ingest
    from knowledge.models import Document

    Document.objects.all().delete()
    incomings = [
        Incoming(
            name=f"scifact-{doc['_id']}.txt",
            content=f"{doc['title']}\n\n{doc['text']}".encode(),
            metadata={"title": doc["title"][:300], "kind": "research_paper", "visibility": "network"},
            source_key=f"scifact/{doc['_id']}",
        )
        for doc in corpus
    ]
    sink = Quiet()
    started = time.perf_counter()
    ingest(incomings, user=user, progress=sink)
    return time.perf_counter() - started, sink


def evaluate(queries, qrels, user):
    from knowledge.models import Document
    from knowledge.retrieval import rank
    from knowledge.vectors import index

    started = time.perf_counter()
    index().refresh()
    build = time.perf_counter() - started
    external = {pk: key.split("/", 1)[1] for pk, key in Document.objects.values_list("pk", "source_key")}
    ndcgs, recalls, latencies = [], [], []
    for query_id, relevant in qrels.items():
        started = time.perf_counter()
        ranked = rank(user, queries[query_id], limit=100)
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [external[document] for document, _score, _chunk in ranked[:100]]
        ndcgs.append(ndcg_at_10(ids, relevant))
        recalls.append(len(set(ids) & set(relevant)) / len(relevant))
    return build, ndcgs, recalls, latencies


def scale_latency(user, queries, corpus, total_chunks: int = 200_000) -> list[float]:
    """Add synthetic documents until the index holds `total_chunks` chunks, then time queries.

    Synthetic texts draw their words from SciFact's own word frequencies (a unigram model of the
    corpus), so terms are as common or as rare as in real abstracts; vectors are random unit vectors.
    """
    import numpy as np

    from knowledge.models import Chunk, Document, DocumentStatus
    from knowledge.retrieval import rank
    from knowledge.vectors import bump_generation

    rng = np.random.default_rng(7)
    words = np.array([word for doc in corpus for word in doc["text"].lower().split()])
    have = Chunk.objects.count()
    per_document = 4
    while have < total_chunks:
        batch = min(5000, (total_chunks - have) // per_document + 1)
        documents = Document.objects.bulk_create(
            [
                Document(
                    title=" ".join(rng.choice(words, 8)),
                    text=" ".join(rng.choice(words, 300)),
                    kind="other",
                    visibility="network",
                    status=DocumentStatus.READY,
                    source_key="synthetic/",
                )
                for _ in range(batch)
            ]
        )
        vectors = rng.standard_normal((batch * per_document, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        Chunk.objects.bulk_create(
            [
                Chunk(
                    document=document,
                    ordinal=o,
                    text=document.text[:500],
                    embedding=vectors[i * per_document + o].tobytes(),
                )
                for i, document in enumerate(documents)
                for o in range(per_document)
            ],
            batch_size=5000,
        )
        have += batch * per_document
    bump_generation()
    rank(user, "warm up the index")
    latencies = []
    for text in list(queries.values())[:300]:
        started = time.perf_counter()
        rank(user, text, limit=100)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", action="store_true", help="also time queries over 200,000 chunks")
    parser.add_argument("--user", default="rocb.ap", help="the demo user the queries run as")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    call_command("demo_users", verbosity=0)
    from accounts.models import User

    user = User.objects.get(username=args.user)
    corpus, queries, qrels = load()
    seconds, sink = ingest_corpus(corpus, user)
    print(f"documents: {len(corpus)}, outcomes: {sink.counts}")
    for failure in sink.failures[:5]:
        print("  failed:", failure)
    print(
        f"ingestion (extraction, language, chunks, embeddings, index): {seconds:.1f} s, "
        f"{len(corpus) / seconds:.1f} documents/s"
    )
    build, ndcgs, recalls, latencies = evaluate(queries, qrels, user)
    print(f"vector index load: {build * 1000:.0f} ms")
    print(f"queries: {len(ndcgs)} (as {args.user})")
    print(f"nDCG@10: {statistics.mean(ndcgs):.4f}   recall@100: {statistics.mean(recalls):.4f}")
    print(
        f"latency, one query at a time: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {statistics.quantiles(latencies, n=20)[-1]:.1f} ms"
    )
    if args.scale:
        scaled = scale_latency(user, queries, corpus)
        print(
            f"--scale, 200,000 chunks: p50 {statistics.median(scaled):.1f} ms, "
            f"p95 {statistics.quantiles(scaled, n=20)[-1]:.1f} ms"
        )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
