"""Conflicts of interest between reviewers and papers, each with its cause, as HotCRP keeps them.

A reviewer is conflicted with a paper when:

- they are one of its authors (never set aside, whatever a chair pins);
- they work for the same administration as an author (the authorship's administration, or the
  author's own), or at the same institution (names compared case- and space-insensitively);
- they co-authored with an author in the last CO_AUTHOR_YEARS years: a submission of any call, or a
  document of the knowledge base naming both;
- an author declared a conflict with them on the paper; they bid "I have a conflict";
- a standing conflict on either profile names the other person, their administration or their
  institution;
- a chair pinned a conflict. A chair's "no conflict" pin sets aside every detected cause but authorship.

Everything is loaded in a fixed number of queries for any number of reviewers and papers
(`conflicts_between`), so the assignment page, the solver and the pre-invitation check
(`check_people`) say the same thing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.models import (
    Authorship,
    Bid,
    BidValue,
    Call,
    ConflictPin,
    DeclaredConflict,
    Reviewer,
    StandingConflict,
    Submission,
    SubmissionStatus,
)

CO_AUTHOR_YEARS = 5
AUTHOR = "author"  # the one cause a chair's pin cannot set aside


@dataclass(frozen=True)
class Cause:
    kind: str  # author, administration, institution, co-author, declared, bid, standing, pinned
    source: str  # where it was found: authorship, submission #12, document #40, profile, chair, ...
    message: str


@dataclass(frozen=True)
class _Candidate:
    """A reviewer, or a person who might become one (`check_people`)."""

    key: int
    person_id: int
    name: str
    member_id: int | None
    institution: str


def normal_name(name: str) -> str:
    """A name as conflicts compare names (institutions): case- and space-insensitive."""
    return " ".join((name or "").lower().split())


def _candidates(reviewers: Iterable[Reviewer]) -> list[_Candidate]:
    rows = []
    for reviewer in reviewers:
        person = reviewer.person
        rows.append(
            _Candidate(
                key=reviewer.pk,
                person_id=person.pk,
                name=str(person),
                member_id=person.member_id,
                institution=normal_name(reviewer.institution),
            )
        )
    return rows


class _Authors:
    """Per paper: its authors' person ids, administrations and institutions."""

    def __init__(self, submission_ids: list[int]):
        self.people: dict[int, set[int]] = defaultdict(set)
        self.members: dict[int, dict[int, str]] = defaultdict(dict)
        self.institutions: dict[int, set[str]] = defaultdict(set)
        rows = Authorship.objects.filter(submission_id__in=submission_ids).values_list(
            "submission_id",
            "person_id",
            "member_id",
            "member__name",
            "person__member_id",
            "person__member__name",
            "institution",
        )
        for submission_id, person_id, member_id, member_name, own_id, own_name, institution in rows:
            self.people[submission_id].add(person_id)
            for pk, name in ((member_id, member_name), (own_id, own_name)):
                if pk:
                    self.members[submission_id][pk] = name
            if normal_name(institution):
                self.institutions[submission_id].add(normal_name(institution))

    def all_people(self) -> set[int]:
        return set().union(*self.people.values()) if self.people else set()


def _co_authors(people: set[int], *, today: datetime.date) -> dict[int, dict[int, str]]:
    """person -> {other person: where they wrote together} over the last CO_AUTHOR_YEARS years.

    Every paper counts, those under review included: two people writing another paper of the same
    call together work together now. (A reviewer who wrote the paper itself is caught as its author.)
    Which papers are asked about at once therefore never changes the answer for a pair."""
    from knowledge.models import Document

    cutoff = today - datetime.timedelta(days=round(365.25 * CO_AUTHOR_YEARS))
    together: dict[int, set[int]] = defaultdict(set)
    papers = (
        Authorship.objects.filter(person_id__in=people, submission__call__conference__year__gte=cutoff.year)
        .exclude(submission__status__in=[SubmissionStatus.DRAFT, SubmissionStatus.WITHDRAWN])
        .values_list("submission_id", "person_id")
    )
    for submission_id, person_id in papers:
        together[("submission", submission_id)].add(person_id)
    through = Document.author_people.through
    documents = through.objects.filter(person_id__in=people).filter(
        Q(document__date__gte=cutoff) | Q(document__date__isnull=True, document__created_at__date__gte=cutoff)
    )
    for document_id, person_id in documents.values_list("document_id", "person_id"):
        together[("document", document_id)].add(person_id)
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for (kind, pk), group in together.items():
        if len(group) < 2:
            continue
        label = f"{kind} #{pk}"
        for one in group:
            for other in group - {one}:
                found[one].setdefault(other, label)
    return found


def _collect(
    candidates: list[_Candidate], submissions: list[Submission], *, reviewers: bool, today: datetime.date
) -> dict[tuple[int, int], list[Cause]]:
    submission_ids = [submission.pk for submission in submissions]
    authors = _Authors(submission_ids)
    author_people = authors.all_people()
    candidate_people = {candidate.person_id for candidate in candidates}
    co_authors = _co_authors(author_people | candidate_people, today=today)

    declared: dict[tuple[int, int], str] = {
        (person_id, submission_id): kind
        for submission_id, person_id, kind in DeclaredConflict.objects.filter(
            submission_id__in=submission_ids, person_id__in=candidate_people
        ).values_list("submission_id", "person_id", "kind")
    }
    standing = list(
        StandingConflict.objects.filter(Q(person_id__in=candidate_people | author_people)).values_list(
            "person_id", "other_person_id", "member_id", "member__name", "institution"
        )
    )
    bids: set[tuple[int, int]] = set()
    pins: dict[tuple[int, int], tuple[bool, str]] = {}
    if reviewers:
        keys = [candidate.key for candidate in candidates]
        bids = set(
            Bid.objects.filter(
                reviewer_id__in=keys, submission_id__in=submission_ids, value=BidValue.CONFLICT
            ).values_list("reviewer_id", "submission_id")
        )
        pins = {
            (reviewer_id, submission_id): (is_conflict, justification)
            for reviewer_id, submission_id, is_conflict, justification in ConflictPin.objects.filter(
                reviewer_id__in=keys, submission_id__in=submission_ids
            ).values_list("reviewer_id", "submission_id", "is_conflict", "justification")
        }
    standing_of: dict[int, list[tuple]] = defaultdict(list)
    for row in standing:
        standing_of[row[0]].append(row[1:])
    names = _names(author_people)

    found: dict[tuple[int, int], list[Cause]] = {}
    for submission in submissions:
        paper_people = authors.people.get(submission.pk, set())
        paper_members = authors.members.get(submission.pk, {})
        paper_institutions = authors.institutions.get(submission.pk, set())
        for candidate in candidates:
            causes = _causes(
                candidate,
                submission.pk,
                paper_people,
                paper_members,
                paper_institutions,
                co_authors,
                declared,
                standing_of,
                names,
            )
            if reviewers:
                if (candidate.key, submission.pk) in bids:
                    causes.append(Cause("bid", _("bid"), _("declared by the reviewer in their bid")))
                pin = pins.get((candidate.key, submission.pk))
                if pin is not None:
                    is_conflict, justification = pin
                    if is_conflict:
                        causes.append(
                            Cause(
                                "pinned", _("chair"), _("pinned by a chair: %(why)s") % {"why": justification}
                            )
                        )
                    else:
                        causes = [cause for cause in causes if cause.kind == AUTHOR]
            if causes:
                found[(candidate.key, submission.pk)] = causes
    return found


def _names(people: set[int]) -> dict[int, str]:
    from people.models import Person

    return {
        person.pk: str(person)
        for person in Person.objects.filter(pk__in=people).only("first_name", "last_name")
    }


def _causes(
    candidate,
    submission_id,
    paper_people,
    paper_members,
    paper_institutions,
    co_authors,
    declared,
    standing_of,
    names,
) -> list[Cause]:
    causes: list[Cause] = []
    if candidate.person_id in paper_people:
        return [Cause(AUTHOR, _("authorship"), _("an author of the paper"))]
    if candidate.member_id and candidate.member_id in paper_members:
        causes.append(
            Cause(
                "administration",
                _("registry"),
                _("same administration as an author (%(member)s)")
                % {"member": paper_members[candidate.member_id]},
            )
        )
    if candidate.institution and candidate.institution in paper_institutions:
        causes.append(Cause("institution", _("profile"), _("same institution as an author")))
    wrote_with = co_authors.get(candidate.person_id, {})
    for author in sorted(paper_people & set(wrote_with)):
        causes.append(
            Cause(
                "co-author",
                wrote_with[author],
                _("co-author of %(name)s in the last %(years)d years (%(where)s)")
                % {"name": names.get(author, "?"), "years": CO_AUTHOR_YEARS, "where": wrote_with[author]},
            )
        )
    if (candidate.person_id, submission_id) in declared:
        causes.append(Cause("declared", _("authors"), _("declared by the authors")))
    for other_person, member_id, member_name, institution in standing_of.get(candidate.person_id, []):
        if other_person in paper_people:
            causes.append(Cause("standing", _("profile"), _("a standing conflict on the reviewer's profile")))
        elif member_id and member_id in paper_members:
            causes.append(
                Cause(
                    "standing",
                    _("profile"),
                    _("a standing conflict with %(member)s") % {"member": member_name},
                )
            )
        elif normal_name(institution) and normal_name(institution) in paper_institutions:
            causes.append(
                Cause("standing", _("profile"), _("a standing conflict with an author's institution"))
            )
    for author in paper_people:
        for other_person, member_id, _member_name, institution in standing_of.get(author, []):
            if (
                other_person == candidate.person_id
                or (member_id and member_id == candidate.member_id)
                or (normal_name(institution) and normal_name(institution) == candidate.institution)
            ):
                causes.append(
                    Cause("standing", _("profile"), _("a standing conflict on an author's profile"))
                )
                break
    return causes


def conflicts_between(
    reviewers: Iterable[Reviewer], submissions: Iterable[Submission], *, today: datetime.date | None = None
) -> dict[tuple[int, int], list[Cause]]:
    """{(reviewer pk, submission pk): [Cause, ...]} for each conflicted pair; others are absent."""
    reviewers = [reviewers] if isinstance(reviewers, Reviewer) else list(reviewers)
    submissions = [submissions] if isinstance(submissions, Submission) else list(submissions)
    if not reviewers or not submissions:
        return {}
    _load_people(reviewers)
    return _collect(_candidates(reviewers), submissions, reviewers=True, today=today or timezone.localdate())


def _load_people(reviewers: list[Reviewer]) -> None:
    """Fill each reviewer's person and administration in two queries when they were not selected."""
    from people.models import Person

    missing = [reviewer for reviewer in reviewers if "person" not in reviewer._state.fields_cache]
    if not missing:
        return
    people = Person.objects.in_bulk({reviewer.person_id for reviewer in missing})
    for reviewer in missing:
        reviewer.person = people[reviewer.person_id]


def conflicts_for(reviewer: Reviewer, submission: Submission) -> list[Cause]:
    return conflicts_between([reviewer], [submission]).get((reviewer.pk, submission.pk), [])


def check_people(people, call: Call, *, today: datetime.date | None = None) -> dict[int, list]:
    """Suggested reviewers before anyone is invited: {person pk: [(submission, [Cause])]} against
    every submitted paper of the call (and drafts past the abstract, which will be reviewed too)."""
    people = list(people)
    institutions = dict(
        Reviewer.objects.filter(conference_id=call.conference_id, person__in=people).values_list(
            "person_id", "institution"
        )
    )
    submissions = list(
        Submission.objects.filter(call=call).exclude(status=SubmissionStatus.WITHDRAWN).order_by("pk")
    )
    candidates = [
        _Candidate(
            key=person.pk,
            person_id=person.pk,
            name=str(person),
            member_id=person.member_id,
            institution=normal_name(institutions.get(person.pk, "")),
        )
        for person in people
    ]
    found = _collect(candidates, submissions, reviewers=False, today=today or timezone.localdate())
    by_person: dict[int, list] = defaultdict(list)
    for submission in submissions:
        for person in people:
            causes = found.get((person.pk, submission.pk))
            if causes:
                by_person[person.pk].append((submission, causes))
    return dict(by_person)
