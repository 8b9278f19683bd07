"""The affinity evaluation (conferences.evaluation) on the shipped pool: its figures are rates, and
the affinity ranks the labelled papers' reviewers better than declared topics alone."""

import pytest

from conferences.evaluation import LABELLED, POOL, evaluate, load_pool, read_jsonl, topic_ranking

FIGURES = ["hit@5", "recall@10", "ndcg@10", "success@1", "mrr"]


@pytest.mark.django_db
def test_figures_on_five_labelled_papers_are_rates():
    loaded = load_pool(POOL)
    assert len(loaded.reviewers) == len(read_jsonl(POOL))
    figures = evaluate(read_jsonl(LABELLED)[:5], loaded=loaded)
    assert figures["papers"] == 5
    for name in FIGURES:
        assert 0.0 <= figures[name] <= 1.0, (name, figures)
    # Evaluating again ranks the same submissions, it does not load them twice.
    assert evaluate(read_jsonl(LABELLED)[:5], loaded=loaded)["ndcg@10"] == figures["ndcg@10"]
    assert loaded.call.submissions.count() == 5


@pytest.mark.django_db
def test_affinity_beats_the_topics_only_baseline_on_the_labelled_set():
    loaded = load_pool(POOL)
    figures = evaluate(LABELLED, loaded=loaded)
    baseline = evaluate(LABELLED, loaded=loaded, rank=topic_ranking)
    assert figures["papers"] >= 40
    assert figures["ndcg@10"] > baseline["ndcg@10"], (figures, baseline)
    assert figures["success@1"] > baseline["success@1"], (figures, baseline)
    assert figures["mrr"] >= baseline["mrr"], (figures, baseline)
    assert figures["hit@5"] >= 0.8, figures


@pytest.mark.django_db
def test_a_hidden_paper_finds_its_author_and_is_not_its_own_evidence():
    from conferences.evaluation import author_recovery
    from conferences.models import Authorship

    loaded = load_pool(POOL)
    reviewers = list(loaded.reviewers.values())
    figures = author_recovery(reviewers)
    prolific = sum(
        1 for reviewer in reviewers if Authorship.objects.filter(person=reviewer.person).count() >= 2
    )
    assert figures["papers"] == prolific > 10
    assert figures["recall@10"] >= 0.7, figures
    for name in FIGURES:
        assert 0.0 <= figures[name] <= 1.0
    # The hidden paper is scored as the submission: its author's evidence is their other work.
    from conferences.affinity import reviewer_ranking

    author = next(r for r in reviewers if Authorship.objects.filter(person=r.person).count() >= 2)
    hidden = Authorship.objects.filter(person=author.person).first().submission
    [(_reviewer, _score, why)] = [row for row in reviewer_ranking(hidden, reviewers) if row[0] == author]
    assert hidden.title[:40] not in why and "own work" in why
