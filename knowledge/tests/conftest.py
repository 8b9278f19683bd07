import pytest

from knowledge.ingestion import Incoming, ingest


class Collect:
    """A progress sink for ingest() outside a job."""

    def __init__(self):
        self.outcomes = []

    def item(self, name, status, reason="", **extra):
        self.outcomes.append((name, status, reason))


@pytest.fixture
def ingest_texts(db):
    """ingest_texts(user, [(name, text, metadata)]) -> (documents, outcomes)."""

    def run(user, items):
        sink = Collect()
        documents = ingest(
            [Incoming(name=name, content=text.encode(), metadata=metadata) for name, text, metadata in items],
            user=user,
            progress=sink,
        )
        return documents, sink.outcomes

    return run
