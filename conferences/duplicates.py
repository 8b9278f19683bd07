"""Near-duplicate submissions, within a call and across calls (Indico misses these): the cosine of
the papers' title-and-abstract embeddings (the knowledge base's MiniLM model), flagged to the chairs
on the paper's page from DUPLICATE_SIMILARITY up."""

from __future__ import annotations

import numpy as np

from conferences.models import Submission

DUPLICATE_SIMILARITY = 0.9
MISSING_AT_ONCE = 500


def near_duplicates(submission: Submission, *, user, threshold: float = DUPLICATE_SIMILARITY, limit: int = 5):
    """[(other submission, similarity)], most similar first, among the papers `user` may see (a
    regional chair does not learn of other conferences' papers); drafts and withdrawn papers
    included (a resubmission after withdrawing is what chairs want to see), the paper itself excluded."""
    from conferences.affinity import ensure_vectors
    from knowledge.embeddings import from_bytes

    ensure_vectors([submission])
    if not submission.embedding:
        return []
    target = from_bytes(bytes(submission.embedding))
    candidates = Submission.objects.restrict(user).exclude(pk=submission.pk)
    # Papers never embedded yet (no one ranked reviewers for them) are embedded once, here.
    ensure_vectors(list(candidates.filter(embedding=b"")[:MISSING_AT_ONCE]))
    others = list(candidates.exclude(embedding=b"").values_list("pk", "embedding"))
    if not others:
        return []
    matrix = np.stack([from_bytes(bytes(vector)) for _pk, vector in others])
    similarity = matrix @ target
    order = np.argsort(-similarity)[:limit]
    hits = [(others[index][0], float(similarity[index])) for index in order if similarity[index] >= threshold]
    found = Submission.objects.select_related("call").in_bulk([pk for pk, _score in hits])
    return [(found[pk], round(score, 3)) for pk, score in hits if pk in found]
