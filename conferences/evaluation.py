"""Measuring reviewer affinity: load a reviewer pool and labelled papers into the database, rank the
whole pool for each paper with `conferences.affinity.reviewer_ranking`, and score the ranking
against the papers' graded relevant reviewers (hit@5, recall@10, nDCG@10, success@1, MRR).

Used by bench/reviewer_assignment.py and by conferences/tests/test_evaluation.py. The data are in
conferences/data/:

- reviewer_pool.jsonl, 46 reviewers of the PICARD world (customs academics, practitioners of member
  administrations, WCO staff). A record: name, kind (academic | practitioner), member (ISO alpha-2
  of the person's administration or country), institution, languages, topics [slugs], expertise
  (their own words), papers [{title, abstract, year}] (their own past work, loaded as accepted papers
  of an earlier, decided call, so the affinity's "papers" component has something to read).
- affinity_labelled.jsonl (40 papers) and affinity_heldout.jsonl (30 papers, other wording and another
  mix of topics, not paraphrases of the labelled ones). A record: title, abstract, language, topics,
  relevant {reviewer name: grade}, 3 = the best-placed reviewers, 2 = well placed, 1 = could review it.
  The grades were written by hand from the reviewers' declared expertise and past papers, judging
  expertise only (language is a hard rule of the solver, `conferences.assignment`, not a matter of fit).

Quality is pure affinity ranking: conflicts of interest are ignored here (an author's compatriot may
well be the best-placed reviewer; the solver excludes them, the ranking does not), bids are absent
(every pair scores the "no bid" value), and every reviewer of the pool is ranked, whatever their
languages. `topic_ranking` is the plain baseline: the Jaccard overlap of the paper's and the
reviewer's declared topics, ties in pool order.

`synthetic_pool` and `synthetic_papers` make pools and calls of any size in the same style (texts
drawn from the shipped records' vocabulary) for the solver's scale figures.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from conferences.models import (
    AffiliationKind,
    Authorship,
    Call,
    CallStatus,
    Conference,
    ConferenceKind,
    Reviewer,
    ReviewerKind,
    Submission,
    SubmissionStatus,
)
from core.metrics import dcg
from network.models import Member
from people.models import Person
from people.services import name_key
from topics.models import Topic

DATA = Path(__file__).resolve().parent / "data"
POOL = DATA / "reviewer_pool.jsonl"
LABELLED = DATA / "affinity_labelled.jsonl"
HELD_OUT = DATA / "affinity_heldout.jsonl"
EMAIL_DOMAIN = "reviewers.example"
AUTHOR_DOMAIN = "authors.example"
YEAR = 2027


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _aware(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def _split(name: str) -> tuple[str, str]:
    first, _space, last = name.rpartition(" ")
    return (first or last), last


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "." for c in name_key(*_split(name))).strip(".")


def _affiliation(record: dict) -> str:
    institution = record.get("institution", "")
    if "World Customs Organization" in institution:
        return AffiliationKind.OFFICE
    if record.get("kind") == ReviewerKind.PRACTITIONER:
        return AffiliationKind.ADMINISTRATION
    return AffiliationKind.UNIVERSITY


@dataclass
class Loaded:
    conference: Conference
    call: Call  # open: the papers to review go here
    past_call: Call  # decided: the reviewers' own work
    reviewers: dict[str, Reviewer] = field(default_factory=dict)  # name -> reviewer
    people: dict[str, Person] = field(default_factory=dict)  # name -> person


def _call(conference: Conference, year: int, status: str) -> Call:
    return Call.objects.create(
        conference=conference,
        title=f"Call for papers, {conference.title}",
        status=status,
        abstract_deadline=_aware(year, 2, 1),
        paper_deadline=_aware(year, 4, 1),
        camera_ready_deadline=_aware(year, 7, 1),
        languages=["en", "fr"],
        reviewers_per_paper=3,
        reviewer_load=8,
    )


@transaction.atomic
def load_pool(source=POOL, *, year: int = YEAR) -> Loaded:
    """A PICARD conference of `year` with an open call and the pool as its reviewers; each
    reviewer's own papers are accepted papers of the previous year's (decided) call."""
    records = read_jsonl(source) if isinstance(source, (str, Path)) else list(source)
    members = {member.iso_alpha2: member for member in Member.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    conference = Conference.objects.create(
        kind=ConferenceKind.PICARD, title=f"PICARD {year} (evaluation)", year=year
    )
    past = Conference.objects.create(
        kind=ConferenceKind.PICARD, title=f"PICARD {year - 1} (evaluation)", year=year - 1
    )
    loaded = Loaded(
        conference, _call(conference, year, CallStatus.OPEN), _call(past, year - 1, CallStatus.DECIDED)
    )
    people = Person.objects.bulk_create(
        [
            Person(
                first_name=_split(record["name"])[0],
                last_name=_split(record["name"])[1],
                email=f"{_slug(record['name'])}.{index}@{EMAIL_DOMAIN}",
                member=members.get(record.get("member", "")),
                name_key=name_key(*_split(record["name"])),
                job_title=record.get("institution", "")[:160],
            )
            for index, record in enumerate(records)
        ]
    )
    reviewers = Reviewer.objects.bulk_create(
        [
            Reviewer(
                conference=conference,
                person=person,
                kind=record["kind"],
                institution=record.get("institution", ""),
                expertise=record.get("expertise", ""),
                languages=record.get("languages", ["en"]),
                max_load=record.get("max_load"),
            )
            for person, record in zip(people, records, strict=True)
        ]
    )
    through = Reviewer.topics.through
    through.objects.bulk_create(
        [
            through(reviewer_id=reviewer.pk, topic_id=topics[slug].pk)
            for reviewer, record in zip(reviewers, records, strict=True)
            for slug in record.get("topics", [])
            if slug in topics
        ]
    )
    own = [
        (person, record, paper)
        for person, record in zip(people, records, strict=True)
        for paper in record.get("papers", [])
    ]
    papers = Submission.objects.bulk_create(
        [
            Submission(
                call=loaded.past_call,
                title=paper["title"],
                abstract=paper["abstract"],
                language=paper.get("language", "en"),
                status=SubmissionStatus.ACCEPTED_PAPER,
                submitted_at=_aware(paper.get("year", year - 1), 3, 1),
                decided_at=_aware(paper.get("year", year - 1), 6, 1),
            )
            for _person, _record, paper in own
        ]
    )
    Authorship.objects.bulk_create(
        [
            Authorship(
                submission=submission,
                person=person,
                affiliation_kind=_affiliation(record),
                institution=record.get("institution", ""),
                member=person.member,
                is_contact=True,
            )
            for submission, (person, record, _paper) in zip(papers, own, strict=True)
        ]
    )
    for record, person, reviewer in zip(records, people, reviewers, strict=True):
        loaded.people[record["name"]] = person
        loaded.reviewers[record["name"]] = reviewer
    return loaded


@transaction.atomic
def load_papers(
    records: list[dict], call: Call, *, people: dict[str, Person] | None = None
) -> list[Submission]:
    """The records as submitted papers of `call`, with their topics and, when a record names them,
    their authors ({name, member, institution, kind}; a name of `people` is that person)."""
    members = {member.iso_alpha2: member for member in Member.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    people = dict(people or {})
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                call=call,
                title=record["title"],
                abstract=record["abstract"],
                language=record.get("language", "en"),
                status=SubmissionStatus.SUBMITTED,
                submitted_at=now,
            )
            for record in records
        ]
    )
    through = Submission.topics.through
    through.objects.bulk_create(
        [
            through(submission_id=submission.pk, topic_id=topics[slug].pk)
            for submission, record in zip(submissions, records, strict=True)
            for slug in record.get("topics", [])
            if slug in topics
        ]
    )
    new_authors = {
        author["name"]: author
        for record in records
        for author in record.get("authors", [])
        if author["name"] not in people
    }
    created = Person.objects.bulk_create(
        [
            Person(
                first_name=_split(name)[0],
                last_name=_split(name)[1],
                email=f"{_slug(name)}.{index}@{AUTHOR_DOMAIN}",
                member=members.get(author.get("member", "")),
                name_key=name_key(*_split(name)),
            )
            for index, (name, author) in enumerate(new_authors.items())
        ]
    )
    people.update(zip(new_authors, created, strict=True))
    Authorship.objects.bulk_create(
        [
            Authorship(
                submission=submission,
                person=people[author["name"]],
                position=position,
                affiliation_kind=_affiliation(author),
                institution=author.get("institution", ""),
                member=members.get(author.get("member", "")),
                is_contact=position == 1,
            )
            for submission, record in zip(submissions, records, strict=True)
            for position, author in enumerate(record.get("authors", []), start=1)
        ]
    )
    return submissions


def topic_ranking(submission: Submission, reviewers) -> list[tuple[Reviewer, float, str]]:
    """The plain baseline: reviewers by the Jaccard overlap of declared topics, ties in pool order."""
    reviewers = list(reviewers)
    wanted = set(submission.topics.values_list("pk", flat=True))
    declared: dict[int, set[int]] = {reviewer.pk: set() for reviewer in reviewers}
    for reviewer_id, topic_id in Reviewer.topics.through.objects.filter(
        reviewer_id__in=list(declared)
    ).values_list("reviewer_id", "topic_id"):
        declared[reviewer_id].add(topic_id)
    scored = []
    for reviewer in reviewers:
        union = wanted | declared[reviewer.pk]
        scored.append(
            (reviewer, len(wanted & declared[reviewer.pk]) / len(union) if union else 0.0, "topics")
        )
    return sorted(scored, key=lambda row: -row[1])


def score_ranking(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """One paper's figures for a ranking of reviewer names against its graded relevant reviewers."""
    grades = [relevant.get(name, 0) for name in ranked]
    best = max(relevant.values())
    ideal = dcg(sorted(relevant.values(), reverse=True)[:10])
    first = next((rank for rank, grade in enumerate(grades, start=1) if grade), None)
    return {
        "hit@5": 1.0 if any(grades[:5]) else 0.0,
        "recall@10": sum(1 for grade in grades[:10] if grade) / len(relevant),
        "ndcg@10": dcg(grades[:10]) / ideal if ideal else 0.0,
        "success@1": 1.0 if grades[:1] == [best] else 0.0,
        "mrr": 1.0 / first if first else 0.0,
    }


def evaluate(path, *, loaded: Loaded, rank=None) -> dict:
    """Rank the whole pool for each paper of `path` (submitted to `loaded.call`) and average the
    figures; `rank` is `reviewer_ranking` unless told (e.g. `topic_ranking`). Papers already loaded
    by an earlier run on the same path are ranked again, not loaded twice."""
    from conferences.affinity import ensure_vectors, reviewer_ranking

    rank = rank or reviewer_ranking
    records = read_jsonl(path) if isinstance(path, (str, Path)) else list(path)
    submissions = _papers_for(records, loaded.call)
    ensure_vectors(submissions)  # one model call for the whole set
    reviewers = list(loaded.reviewers.values())
    name_of = {reviewer.pk: name for name, reviewer in loaded.reviewers.items()}
    totals: dict[str, float] = {}
    misses = []
    for number, (submission, record) in enumerate(zip(submissions, records, strict=True), start=1):
        ranked = [name_of[reviewer.pk] for reviewer, _score, _why in rank(submission, reviewers)]
        figures = score_ranking(ranked, record["relevant"])
        for name, value in figures.items():
            totals[name] = totals.get(name, 0.0) + value
        if not figures["hit@5"]:
            misses.append(str(number))
    count = len(records)
    result: dict = {"papers": count}
    for name in ("hit@5", "recall@10", "ndcg@10", "success@1", "mrr"):
        result[name] = round(totals.get(name, 0.0) / count, 3) if count else 0.0
    result["misses"] = misses
    return result


def author_recovery(reviewers, *, rank=None) -> dict:
    """The issue's test of affinity: for each reviewer with two or more papers on record, hide their
    latest paper (it is scored as the submission, so it is not part of their own work) and see
    where its authors rank among the whole pool. Figures as `evaluate`'s, over those papers;
    `recall@10` is the share of hidden papers whose author (any of them) ranks in the top 10."""
    from conferences.affinity import OWN_WORK, ensure_vectors, reviewer_ranking

    rank = rank or reviewer_ranking
    reviewers = list(reviewers)
    by_person = {reviewer.person_id: reviewer for reviewer in reviewers}
    written: dict[int, list[int]] = {}
    for person_id, submission_id in (
        Authorship.objects.filter(person_id__in=list(by_person), submission__status__in=OWN_WORK)
        .order_by("-submission__submitted_at", "-submission_id")
        .values_list("person_id", "submission_id")
    ):
        written.setdefault(person_id, []).append(submission_id)
    hidden = sorted({papers[0] for papers in written.values() if len(papers) >= 2})
    submissions = list(Submission.objects.filter(pk__in=hidden).order_by("pk"))
    ensure_vectors(submissions)
    authors: dict[int, set[int]] = {}
    for submission_id, person_id in Authorship.objects.filter(submission_id__in=hidden).values_list(
        "submission_id", "person_id"
    ):
        if person_id in by_person:
            authors.setdefault(submission_id, set()).add(by_person[person_id].pk)
    totals: dict[str, float] = {}
    for submission in submissions:
        ranked = [str(reviewer.pk) for reviewer, _score, _why in rank(submission, reviewers)]
        figures = score_ranking(ranked, {str(pk): 1 for pk in authors[submission.pk]})
        for name, value in figures.items():
            totals[name] = totals.get(name, 0.0) + value
    count = len(submissions)
    result: dict = {"papers": count}
    for name in ("hit@5", "recall@10", "ndcg@10", "success@1", "mrr"):
        result[name] = round(totals.get(name, 0.0) / count, 3) if count else 0.0
    return result


def _papers_for(records: list[dict], call: Call) -> list[Submission]:
    existing = {
        (submission.title, submission.abstract): submission
        for submission in Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)
    }
    missing = [record for record in records if (record["title"], record["abstract"]) not in existing]
    for submission in load_papers(missing, call):
        existing[(submission.title, submission.abstract)] = submission
    return [existing[(record["title"], record["abstract"])] for record in records]


# Synthetic pools and calls, for the scale figures.

MEMBERS_BY_REGION = {
    "A/P": ["JP", "CN", "IN", "AU", "KR", "SG", "MY", "ID", "TH", "NZ", "PH", "VN"],
    "AMS": ["BR", "CA", "US", "MX", "CL", "CO", "AR", "PE", "UY", "JM"],
    "EUR": ["FR", "GB", "NL", "DE", "BE", "ES", "PL", "SE", "IT", "IE", "PT", "KZ"],
    "ESA": ["KE", "ZA", "BW", "UG", "TZ", "RW", "ET", "MZ", "ZM", "MU"],
    "MENA": ["MA", "EG", "JO", "TN", "AE", "SA", "OM", "DZ"],
    "WCA": ["NG", "SN", "CI", "GH", "BF", "CM", "BJ", "TG"],
}
FIRST_NAMES = [
    "Amina",
    "Jonas",
    "Keiko",
    "Rafael",
    "Nadia",
    "Peter",
    "Chen",
    "Fatou",
    "Olga",
    "Tunde",
    "Ines",
    "Mateo",
    "Hana",
    "Ravi",
    "Sara",
    "Omar",
    "Lucia",
    "Kwame",
    "Elif",
    "Marek",
    "Noura",
    "Diego",
    "Aiko",
    "Samir",
    "Johanna",
    "Yaw",
    "Mariam",
    "Luis",
    "Ingrid",
    "Tarek",
]
LAST_NAMES = [
    "Abdi",
    "Berg",
    "Castro",
    "Diop",
    "Eriksen",
    "Farouk",
    "Gomez",
    "Hoang",
    "Ito",
    "Jensen",
    "Kamau",
    "Lopes",
    "Mensah",
    "Nakamura",
    "Okoro",
    "Petrov",
    "Qureshi",
    "Rahman",
    "Silva",
    "Traore",
    "Usman",
    "Varga",
    "Wong",
    "Yilmaz",
    "Zulu",
    "Moyo",
    "Haddou",
    "Sato",
    "Novak",
    "Banda",
]
UNIVERSITIES = [
    "University",
    "Institute of Technology",
    "School of Economics",
    "Business School",
    "Law Faculty",
]


def _person_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            return name


def synthetic_pool(count: int, *, seed: int = 17, template=POOL) -> list[dict]:
    """`count` reviewers in the shipped pool's style: each takes one shipped reviewer's area (topics,
    expertise, papers), sometimes a second area's sentence, and a home member, background and
    languages of its own; about a third work in French."""
    rng = random.Random(seed)
    shipped = read_jsonl(template)
    used: set[str] = set()
    regions = list(MEMBERS_BY_REGION)
    records = []
    for index in range(count):
        model = shipped[index % len(shipped)] if index < len(shipped) else rng.choice(shipped)
        other = rng.choice(shipped)
        region = regions[index % len(regions)]
        member = rng.choice(MEMBERS_BY_REGION[region])
        kind = ReviewerKind.ACADEMIC if rng.random() < 0.55 else ReviewerKind.PRACTITIONER
        if kind == ReviewerKind.ACADEMIC:
            institution = f"{member} {rng.choice(UNIVERSITIES)} {index}"
        else:
            institution = f"Customs administration of {member}"
        languages = rng.choice([["en"], ["en"], ["en", "fr"], ["en", "fr"], ["fr"]]) if index % 3 else ["en"]
        expertise = model["expertise"]
        if rng.random() < 0.4:
            expertise += " " + other["expertise"].split(". ")[0].rstrip(".") + "."
        papers = [
            {**paper, "year": paper["year"] - rng.randint(0, 3)}
            for paper in model["papers"]
            if kind == ReviewerKind.ACADEMIC or rng.random() < 0.4
        ]
        records.append(
            {
                "name": _person_name(rng, used),
                "kind": kind,
                "member": member,
                "institution": institution,
                "languages": languages,
                "topics": list(model["topics"]),
                "expertise": expertise,
                "papers": papers,
            }
        )
    return records


def synthetic_papers(
    count: int, *, seed: int = 23, reviewers: list[dict] | None = None, templates=(LABELLED, HELD_OUT)
) -> list[dict]:
    """`count` submitted papers: each rewrites one shipped paper (its title with a setting, its
    sentences with one of another paper on a shared topic), with one to three authors from members of
    every region; one paper in ten is co-authored by a pool reviewer (an author conflict); the
    French templates and 12% of the others are in French (about a fifth of the call)."""
    rng = random.Random(seed)
    shipped = [record for path in templates for record in read_jsonl(path)]
    by_topic: dict[str, list[dict]] = {}
    for record in shipped:
        for slug in record["topics"]:
            by_topic.setdefault(slug, []).append(record)
    every_member = [iso for isos in MEMBERS_BY_REGION.values() for iso in isos]
    used = {reviewer["name"] for reviewer in reviewers or []}
    records = []
    for index in range(count):
        model = rng.choice(shipped)
        sentences = model["abstract"].split(". ")
        partner = rng.choice(by_topic[rng.choice(model["topics"])])
        if partner is not model:
            sentences.insert(rng.randint(0, len(sentences)), partner["abstract"].split(". ")[-1].rstrip("."))
        home = rng.choice(every_member)
        authors = [
            {
                "name": _person_name(rng, used),
                "member": home if position == 0 else rng.choice(every_member),
                "institution": f"{home} {rng.choice(UNIVERSITIES)}",
                "kind": rng.choice([ReviewerKind.ACADEMIC, ReviewerKind.PRACTITIONER]),
            }
            for position in range(rng.randint(1, 3))
        ]
        if reviewers and index % 10 == 0:
            colleague = rng.choice(reviewers)
            authors.append(
                {
                    "name": colleague["name"],
                    "member": colleague["member"],
                    "institution": colleague["institution"],
                    "kind": colleague["kind"],
                }
            )
        language = "fr" if rng.random() < 0.12 else model.get("language", "en")
        records.append(
            {
                "title": f"{model['title']} ({home}, case {index + 1})",
                "abstract": ". ".join(sentence.rstrip(".") for sentence in sentences) + ".",
                "language": language,
                "topics": list(model["topics"]),
                "authors": authors,
            }
        )
    return records
