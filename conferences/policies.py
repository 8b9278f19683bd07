"""Who sees and changes conferences, papers and reviews.

- The public sees the conferences, their open calls, the accepted papers with their authors, and
  the programme.
- A conference's chairs see everything in it: the Secretariat (every conference) and, for a
  regional research conference, the hosting region's ROCB officers. An ROCB officer also sees the
  papers submitted on behalf of their region's research series.
- Authors see their own submissions, their files and declared conflicts, and the reviews once the
  paper is decided (what reviewers wrote to the committee stays with the committee: see
  `reviews_visible`).
- Reviewers see the papers assigned to them (every paper of the call when the active phase says
  so); the authors only in a single-blind call or a phase that shows names; the other reviews of
  their papers as the active phase says (never, after their own, always); their discussion.
Identities come through `people.Person.user`: an author or a reviewer is a person with an account.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.roles import Role
from conferences.models import (
    ACCEPTED,
    DECIDED,
    ActivityReading,
    Assignment,
    AuditEntry,
    Authorship,
    Bid,
    Call,
    CallStatus,
    Comment,
    Conference,
    ConflictPin,
    DeclaredConflict,
    OtherReviews,
    ProgrammeSession,
    Review,
    Reviewer,
    ReviewMode,
    ReviewPhase,
    StandingConflict,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from core.permissions import ALL, ANY_ROLE, Policy, UserPath, register_policy

PUBLIC_CALLS = [CallStatus.OPEN, CallStatus.REVIEW, CallStatus.DECIDED]
CHAIR_PATH = "call__conference__region"  # from a submission to the hosting region


def own_reviewer_roles(user):
    return Reviewer.objects.filter(person__user=user.pk).values("pk")


def authored(user):
    """The submissions the user is an author of."""
    return Authorship.objects.filter(person__user=user.pk).values("submission")


def reviewing(user):
    """The submissions the user may read as a reviewer: assigned ones, and every submitted paper of
    a call whose active phase shows reviewers all papers (in conferences where they review)."""
    assigned = Assignment.objects.filter(reviewer__person__user=user.pk).values("submission")
    open_to_pool = Submission.objects.filter(
        call__phases__is_active=True,
        call__phases__sees_all_papers=True,
        call__conference__reviewers__person__user=user.pk,
        status__in=[SubmissionStatus.SUBMITTED, *DECIDED],
    ).values("pk")
    return Q(pk__in=assigned) | Q(pk__in=open_to_pool)


def names_shown(user):
    """The submissions whose authors the user may see as a reviewer."""
    shown = Submission.objects.filter(
        Q(call__review_mode=ReviewMode.SINGLE_BLIND)
        | Q(call__phases__is_active=True, call__phases__author_names_shown=True)
    ).filter(reviewing(user))
    return Q(submission__in=shown.values("pk"))


NOTHING = Q(pk__in=[])


def rocb_submissions(user):
    if user.region_id is None:  # an ROCB officer without a region: `region=None` would match every PICARD row
        return NOTHING
    return Q(call__conference__region=user.region_id) | Q(on_behalf_of=user.region_id)


def _through(prefix: str, condition_for):
    """A submission grant, reached from a row pointing at the submission through `prefix`."""

    def grant(user):
        return Q(**{f"{prefix}__in": Submission.objects.filter(condition_for(user)).values("pk")})

    return grant


def submission_reader(user):
    return Q(pk__in=authored(user)) | reviewing(user)


def reviews_visible(user):
    """Own reviews; the other reviews of one's papers as the active phase allows; authors' reviews
    once decided."""
    own = Q(assignment__reviewer__in=own_reviewer_roles(user))
    assigned = Assignment.objects.filter(reviewer__person__user=user.pk)
    always = Submission.objects.filter(
        call__phases__is_active=True,
        call__phases__other_reviews=OtherReviews.ALWAYS,
        assignments__in=assigned,
    ).values("pk")
    after_own = Submission.objects.filter(
        call__phases__is_active=True,
        call__phases__other_reviews=OtherReviews.AFTER_OWN,
        assignments__in=assigned.filter(review__submitted_at__isnull=False),
    ).values("pk")
    peers = Q(assignment__submission__in=always) | Q(assignment__submission__in=after_own)
    as_author = Q(
        assignment__submission__in=authored(user),
        assignment__submission__status__in=DECIDED,
        submitted_at__isnull=False,
    )
    return own | (peers & Q(submitted_at__isnull=False)) | as_author


CONFERENCE_CHAIRS = {Role.ROCB_OFFICER: "region"}
CALL_CHAIRS = {Role.ROCB_OFFICER: "conference__region"}
SUBMISSION_CHAIRS = {Role.ROCB_OFFICER: CHAIR_PATH}


def register() -> None:
    register_policy(Conference, Policy(public=Q(), add=CONFERENCE_CHAIRS, change=CONFERENCE_CHAIRS))
    register_policy(
        Call,
        Policy(
            public=Q(status__in=PUBLIC_CALLS),
            view={
                **CALL_CHAIRS,
                ANY_ROLE: lambda user: Q(
                    conference__in=Reviewer.objects.filter(person__user=user.pk).values("conference")
                ),
            },
            add=CALL_CHAIRS,
            change=CALL_CHAIRS,
        ),
    )
    register_policy(
        ReviewPhase,
        Policy(
            public=Q(call__status__in=PUBLIC_CALLS),
            view={
                Role.ROCB_OFFICER: "call__conference__region",
                ANY_ROLE: lambda user: Q(
                    call__conference__in=Reviewer.objects.filter(person__user=user.pk).values("conference")
                ),
            },
            add={Role.ROCB_OFFICER: "call__conference__region"},
            change={Role.ROCB_OFFICER: "call__conference__region"},
        ),
    )
    register_policy(
        Submission,
        Policy(
            public=Q(status__in=ACCEPTED),
            view={Role.ROCB_OFFICER: rocb_submissions, ANY_ROLE: submission_reader},
            add={Role.ROCB_OFFICER: ALL, ANY_ROLE: ALL},  # an open call's rules are the service's
            change={Role.ROCB_OFFICER: rocb_submissions, ANY_ROLE: lambda user: Q(pk__in=authored(user))},
        ),
    )
    register_policy(
        Authorship,
        Policy(
            public=Q(submission__status__in=ACCEPTED),
            view={
                Role.ROCB_OFFICER: _through("submission", rocb_submissions),
                ANY_ROLE: lambda user: Q(submission__in=authored(user)) | names_shown(user),
            },
            change={
                Role.ROCB_OFFICER: "submission__" + CHAIR_PATH,
                ANY_ROLE: lambda user: Q(submission__in=authored(user)),
            },
        ),
    )
    register_policy(
        SubmissionFile,
        Policy(
            view={
                Role.ROCB_OFFICER: _through("submission", rocb_submissions),
                ANY_ROLE: _through("submission", submission_reader),
            }
        ),
    )
    register_policy(
        DeclaredConflict,
        Policy(
            view={
                Role.ROCB_OFFICER: "submission__" + CHAIR_PATH,
                ANY_ROLE: lambda user: Q(submission__in=authored(user)),
            }
        ),
    )
    own_person = {ANY_ROLE: lambda user: Q(person__user=user.pk)}
    register_policy(
        Reviewer,
        Policy(
            view={Role.ROCB_OFFICER: "conference__region", **own_person},
            add={Role.ROCB_OFFICER: "conference__region"},
            change={Role.ROCB_OFFICER: "conference__region", **own_person},
        ),
    )
    register_policy(
        StandingConflict,
        Policy(
            view={
                Role.ROCB_OFFICER: lambda user: (
                    (
                        Q(
                            person__in=Reviewer.objects.filter(conference__region=user.region_id).values(
                                "person"
                            )
                        )
                        if user.region_id is not None
                        else NOTHING
                    )
                    | Q(person__user=user.pk)
                ),
                **own_person,
            },
            add={ANY_ROLE: UserPath("person__user", "pk")},
            delete={ANY_ROLE: UserPath("person__user", "pk")},
        ),
    )
    own_reviewer = {ANY_ROLE: lambda user: Q(reviewer__in=own_reviewer_roles(user))}
    register_policy(
        Bid,
        Policy(
            view={Role.ROCB_OFFICER: "submission__" + CHAIR_PATH, **own_reviewer},
            add={ANY_ROLE: UserPath("reviewer__person__user", "pk")},
            change=own_reviewer,
        ),
    )
    register_policy(ConflictPin, Policy(view={Role.ROCB_OFFICER: "submission__" + CHAIR_PATH}))
    register_policy(
        Assignment,
        Policy(
            view={Role.ROCB_OFFICER: "submission__" + CHAIR_PATH, **own_reviewer},
            add={Role.ROCB_OFFICER: "submission__" + CHAIR_PATH},
            delete={Role.ROCB_OFFICER: "submission__" + CHAIR_PATH},
        ),
    )
    register_policy(
        Review,
        Policy(
            view={Role.ROCB_OFFICER: "assignment__submission__" + CHAIR_PATH, ANY_ROLE: reviews_visible},
            change={ANY_ROLE: lambda user: Q(assignment__reviewer__in=own_reviewer_roles(user))},
        ),
    )
    register_policy(
        Comment,
        Policy(
            view={
                Role.ROCB_OFFICER: "submission__" + CHAIR_PATH,
                ANY_ROLE: lambda user: Q(
                    submission__in=Assignment.objects.filter(reviewer__person__user=user.pk).values(
                        "submission"
                    )
                ),
            }
        ),
    )
    register_policy(AuditEntry, Policy(view={Role.ROCB_OFFICER: "call__conference__region"}))
    register_policy(
        ProgrammeSession,
        Policy(
            public=Q(),
            add={Role.ROCB_OFFICER: "conference__region"},
            change={Role.ROCB_OFFICER: "conference__region"},
            delete={Role.ROCB_OFFICER: "conference__region"},
        ),
    )
    register_policy(
        ActivityReading,
        Policy(
            public=Q(submission__status__in=ACCEPTED, activity__status__in=_public_activity_statuses()),
            # A paper rejected after it was proposed as reading drops out of the panel.
            view={ANY_ROLE: lambda user: Q(activity__in=_activities(user), submission__status__in=ACCEPTED)},
            add={Role.ROCB_OFFICER: "activity__region"},
            delete={Role.ROCB_OFFICER: "activity__region"},
        ),
    )


def _activities(user):
    from activities.models import Activity

    return Activity.objects.restrict(user).values("pk")


def _public_activity_statuses():
    from activities.models import PUBLIC_STATUSES

    return PUBLIC_STATUSES
