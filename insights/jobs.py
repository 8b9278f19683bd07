"""The study-paper compiler as a job: insights.study_paper collects the workshop's record, writes
the Word and PDF drafts and stores them; the job's page shows each step and links the files."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from insights.study_paper import KIND, study_paper_build
from jobs.registry import job_handler

COMPILE = KIND


@job_handler(COMPILE)
def run_study_paper(job, progress) -> None:
    """payload: {"activity": id, "language": "en" | "fr"}. result: {"activity", "title",
    "files": {"docx", "pdf"} (storage names), "figures"}. The paper holds what the job's creator
    may read; a creator who may no longer compile it gets a failed item, not a paper."""
    from activities.models import Activity

    payload = job.payload if isinstance(job.payload, dict) else {}
    language = str(payload.get("language") or "en")[:8]
    with translation.override(language):
        user = User.objects.filter(pk=job.created_by_id, is_active=True).first()
        activity_id = payload.get("activity")
        activity = (
            Activity.objects.restrict(user).filter(pk=activity_id).first()
            if user is not None and isinstance(activity_id, int)
            else None
        )
        if activity is None:
            progress.set_total(1)
            progress.item(_("Study paper"), "failed", _("The workshop is not there any more."))
            return
        try:
            study_paper_build(user=user, activity=activity, job=job, progress=progress)
        except (PermissionDenied, ValidationError) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            progress.item(_("Study paper"), "failed", reason)
