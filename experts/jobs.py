"""The year's staffing plan as a job: experts.matching.plan_year, its proposal kept in Job.result for
the curator to review, change and confirm (the confirming writes go through experts.services)."""

from accounts.models import User
from jobs.registry import job_handler

PLAN_YEAR = "experts.plan_year"


@job_handler(PLAN_YEAR)
def run_plan_year(job, progress) -> None:
    """payload: {"year": 2027, "region": region id or null}. result: {"year", "region",
    "assignments": {slot id: [profile id or null, alternate, alternate]}, "details": {slot id:
    [{"profile", "score", "reasons", "warnings"}]}, "score", "greedy_score", "seconds", "status"}.
    The experts considered are those the job's creator may see."""
    from experts.matching import plan_year

    year = int(job.payload["year"])
    region = job.payload.get("region") or None
    user = User.objects.filter(pk=job.created_by_id).first()
    plan = plan_year(year=year, region=region, progress=progress, user=user)
    job.result = {
        "year": year,
        "region": region,
        "assignments": {str(slot): picks for slot, picks in plan.assignments.items()},
        "details": {str(slot): rows for slot, rows in plan.details.items()},
        "score": plan.score,
        "greedy_score": plan.greedy_score,
        "seconds": plan.seconds,
        "status": plan.status,
    }
    job.save(update_fields=["result", "updated_at"])
