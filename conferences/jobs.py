"""Conference work done in the background: the reviewer assignment of a call (the solve over every
paper and reviewer, then the writes through services) and the daily review reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.registry import job_handler
from jobs.schedule import register_periodic

ASSIGN = "conferences.assign"
DAILY = "conferences.daily"
REMIND_DAYS_BEFORE = 3


@job_handler(ASSIGN)
def run_assign(job, progress) -> None:
    """payload: {"call": id}. Proposes with the solver, writes the assignments (each one checked
    again by services.assignment_add), and reports each paper's reviewers as an item."""
    from accounts.models import User
    from conferences import services
    from conferences.assignment import propose
    from conferences.models import Call, Submission

    call = Call.objects.select_related("conference").get(pk=int(job.payload["call"]))
    user = User.objects.get(pk=job.created_by_id)
    proposal = propose(call, progress=lambda message: None)
    services.assignments_apply(user=user, call=call, proposal=proposal)
    titles = dict(Submission.objects.filter(pk__in=list(proposal.assignments)).values_list("pk", "title"))
    progress.set_total(len(proposal.assignments))
    for submission_id, picks in proposal.assignments.items():
        short = proposal.unfilled.get(submission_id)
        reason = "; ".join(f"{pick['explanation']}" for pick in picks)[:300]
        if short:
            reason = (_("%(count)d reviewers short. ") % {"count": short}) + reason
        progress.item(
            titles.get(submission_id, str(submission_id)),
            "created" if picks else "failed",
            reason,
            url=f"/conferences/submissions/{submission_id}/",
        )
    job.result = {
        "call": call.pk,
        "score": proposal.score,
        "greedy_score": proposal.greedy_score,
        "seconds": proposal.seconds,
        "status": proposal.status,
        "violations": proposal.violations,
        "unfilled": {str(key): value for key, value in proposal.unfilled.items()},
    }


def send_review_reminders(now: datetime.datetime | None = None) -> int:
    """Remind reviewers whose reviews are due within REMIND_DAYS_BEFORE days and not submitted."""
    from conferences.models import Assignment, SubmissionStatus

    now = now or timezone.now()
    due = Assignment.objects.filter(
        submission__status=SubmissionStatus.SUBMITTED,
        submission__call__phases__is_active=True,
        submission__call__phases__may_review=True,
        submission__call__phases__ends_at__gte=now,
        submission__call__phases__ends_at__lte=now + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    ).exclude(review__submitted_at__isnull=False)
    counts: dict[str, int] = {}
    for email in due.values_list("reviewer__person__email", flat=True):
        if email:
            counts[email] = counts.get(email, 0) + 1
    for email, count in counts.items():
        send_mail(
            _("Reminder: %(count)d reviews due soon") % {"count": count},
            _("%(count)d of your reviews are due within %(days)d days: %(url)s")
            % {
                "count": count,
                "days": REMIND_DAYS_BEFORE,
                "url": f"{settings.SITE_URL.rstrip('/')}/conferences/my/",
            },
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    return len(counts)


@job_handler(DAILY)
def run_daily(job, progress) -> None:
    sent = send_review_reminders()
    progress.set_total(1)
    progress.item(_("Review reminders"), "created", _("%(count)d reviewers reminded") % {"count": sent})


def register() -> None:
    register_periodic(DAILY, datetime.timedelta(days=1))
