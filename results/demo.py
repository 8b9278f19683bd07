"""Demo results frameworks (`manage.py demo_results`, run by `make run` after `demo_data`): every demo
programme gets a goal, two outcomes and two outputs each, indicators that are mostly computed from the
programme's own activities (participants trained, women trained, learning gain, administrations
reached, workshops delivered, certificates issued), one indicator recorded by hand with its yearly
actuals, targets for every year of the programme, a risk log, and links to the strategic objectives.
Written through the services as the programme's lead office would; a second run changes nothing."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from activities.models import Programme
from results import services
from results.models import Level, Result, Risk, StrategicObjective
from results.reference import objectives_load

SEED = 15

OUTCOMES = [
    (
        "1",
        "Officers of the beneficiary administrations apply what they learnt on {topic}.",
        [
            ("Participants trained", "participants_trained", "", "people", 40),
            ("Women trained", "participants_trained", "female", "people", 15),
            ("Mean learning gain (points)", "learning_gain", "", "points", 10),
        ],
    ),
    (
        "2",
        "Administrations of the region adopt procedures in line with WCO instruments on {topic}.",
        [
            ("Administrations reached", "administrations_reached", "", "administrations", 6),
            ("Share of administrations reporting improved procedures", "", "", "%", 50),
        ],
    ),
]
OUTPUTS = [
    (
        "1.1",
        "Regional and national workshops on {topic} are delivered.",
        "activities_delivered",
        "workshops",
        4,
    ),
    ("2.1", "Certified trainers and participants on {topic}.", "certificates_issued", "certificates", 60),
]
RISKS = [
    (
        "Turnover of trained officers in the beneficiary administrations",
        4,
        3,
        "Train trainers in each administration.",
    ),
    ("Travel restrictions delay face-to-face workshops", 2, 4, "Move sessions online; keep the plan."),
    ("Funding disbursed late by the donor", 3, 3, "Agree a disbursement calendar at the start of each year."),
]


def demo_results_create(*, seed: int = SEED, progress=print) -> dict[str, int]:
    rng = random.Random(seed)
    objectives_load()
    objectives = list(StrategicObjective.objects.order_by("position"))
    secretariat = User.objects.filter(username="secretariat").first()
    if secretariat is None:
        raise RuntimeError("Run `manage.py demo_users` first.")
    counts = {"programmes": 0, "results": 0, "indicators": 0, "targets": 0, "actuals": 0, "risks": 0}
    programmes = list(
        Programme.objects.filter(code__startswith="demo-prog-").select_related("lead_office").order_by("code")
    )
    if not programmes:
        raise RuntimeError("Run `manage.py demo_data` first.")
    for index, programme in enumerate(programmes):
        with transaction.atomic():
            _framework(rng, programme, secretariat, counts, published=index % 2 == 0)
            programme.strategic_objectives.add(
                objectives[index % len(objectives)], objectives[(index + 2) % len(objectives)]
            )
        counts["programmes"] += 1
    progress(f"results frameworks for {counts['programmes']} programmes")
    counts.update(demo_evaluations_create(user=secretariat, programmes=programmes))
    progress(f"{counts['evaluations']} evaluations with their management responses")
    counts["approved reports"] = _approved_reports(programmes, secretariat)
    progress(f"{counts['approved reports']} approved progress reports")
    return counts


def _topic_of(programme: Programme) -> str:
    return programme.title.split(" programme,")[0].lower()


def _framework(rng, programme, user, counts, *, published: bool) -> None:
    if Result.objects.filter(programme=programme).exists():
        return  # a second run changes nothing
    topic = _topic_of(programme)
    years = list(range(programme.start_date.year, programme.end_date.year + 1))
    goal = services.result_save(
        user=user,
        programme=programme,
        data={
            "level": Level.GOAL,
            "code": "G",
            "statement_en": f"Customs administrations of the programme's region perform better on {topic}.",
            "is_published": published,
        },
    )
    counts["results"] += 1
    for (code, statement, indicators), (out_code, out_statement, out_measure, out_unit, out_target) in zip(
        OUTCOMES, OUTPUTS, strict=True
    ):
        outcome = services.result_save(
            user=user,
            programme=programme,
            data={
                "level": Level.OUTCOME,
                "parent": goal,
                "code": code,
                "statement_en": statement.format(topic=topic),
                "is_published": published,
            },
        )
        output = services.result_save(
            user=user,
            programme=programme,
            data={
                "level": Level.OUTPUT,
                "parent": outcome,
                "code": out_code,
                "statement_en": out_statement.format(topic=topic),
                "is_published": published,
            },
        )
        counts["results"] += 2
        for result, (title, measure, gender, unit, per_year) in [(outcome, row) for row in indicators] + [
            (
                output,
                (
                    f"{out_statement.split(' are ')[0].split(' on ')[0]}",
                    out_measure,
                    "",
                    out_unit,
                    out_target,
                ),
            )
        ]:
            indicator = services.indicator_save(
                user=user,
                result=result,
                data={
                    "title_en": title,
                    "unit": unit,
                    "measure": measure,
                    "measure_gender": gender,
                    "baseline_value": Decimal(0) if measure else Decimal(20),
                    "baseline_date": programme.start_date,
                    "means_of_verification": "cbhub records"
                    if measure
                    else "Yearly survey of the focal points",
                },
            )
            counts["indicators"] += 1
            for offset, year in enumerate(years, start=1):
                target = per_year if unit != "%" else min(100, 20 + 10 * offset)
                if unit == "points":
                    target = per_year
                services.target_set(user=user, indicator=indicator, year=year, value=target)
                counts["targets"] += 1
                if not measure and year <= _this_year():
                    value = max(0, target + rng.randint(-15, 8))
                    services.actual_record(
                        user=user,
                        indicator=indicator,
                        year=year,
                        value=value,
                        note="Focal points' yearly survey",
                    )
                    counts["actuals"] += 1
    for description, likelihood, impact, mitigation in RISKS:
        Risk.objects.create(
            programme=programme,
            description=description,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner=programme.lead_office,
        )
        counts["risks"] += 1


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


# --- evaluations with management responses and follow-up -------------------------------------------

# Per recommendation: its text, the response and its reason, and the actions as (what, owners, days
# from today it is due, status, reason when dropped); owners "lead" and "rtc" (an RTC of the region).
MID_TERM = [
    (
        "Train national trainers in each beneficiary administration, so that what is learnt outlasts "
        "the turnover of trained officers.",
        "accepted",
        "Trainers will be certified in each administration from next year.",
        [
            (
                "Run a train-the-trainers course for the beneficiary administrations",
                ["lead", "rtc"],
                -30,
                "open",
                "",
            ),
            ("Publish the course material in the knowledge base", ["rtc"], 60, "in_progress", ""),
        ],
    ),
    (
        "Move part of the workshops online to reach more officers at a lower cost.",
        "partly",
        "Online sessions for the theory; the practical exercises stay face to face.",
        [("Pilot two online modules before the next regional workshop", ["lead"], -90, "done", "")],
    ),
    (
        "Add a sixth regional workshop each year.",
        "rejected",
        "The budget agreed with the donor does not cover it; national follow-up missions are preferred.",
        [],
    ),
]
FINAL = [
    (
        "Keep surveying the focal points every year after the programme ends.",
        "accepted",
        "",
        [("Include the programme's indicators in the region's yearly survey", ["lead"], 120, "open", "")],
    ),
    (
        "Write down the lessons learned for the design of the next programme.",
        "accepted",
        "",
        [
            ("Write a lessons-learned note", ["lead"], -60, "done", ""),
            (
                "Hold a regional webinar on the lessons learned",
                ["lead", "rtc"],
                -20,
                "dropped",
                "Covered by a session of the regional coordination meeting.",
            ),
        ],
    ),
    (
        "Set up a regional community of practice of the trained officers.",
        "partly",
        "A discussion space first; meetings in person only where a workshop already brings them together.",
        [("Open a discussion space for the trained officers", ["rtc"], -10, "in_progress", "")],
    ),
]
TERMS = {
    "mid_term": "Assess the relevance, effectiveness and efficiency of the programme at mid-term, and "
    "recommend changes for its second phase.",
    "final": "Assess what the programme achieved against its results framework, its sustainability, "
    "and the lessons for the next programme.",
}
FINDINGS = {
    "mid_term": "The workshops are well rated and the learning gain is clear; trained officers often "
    "move to other posts within a year, and few administrations have trainers of their own.",
    "final": "Most targets were met; administrations report improved procedures. Follow-up after the "
    "workshops was uneven between administrations.",
}


def demo_evaluations_create(*, user, programmes) -> dict[str, int]:
    """A final evaluation of the programme that ended first and a mid-term one of another (one led
    in Asia/Pacific when there is, so that the demo RTC Japan owns actions). Idempotent: a programme
    that has an evaluation of that kind is left as it is."""
    from results.models import EvaluationKind, FollowUpAction

    counts = {"evaluations": 0, "recommendations": 0, "follow_up_actions": 0}
    programmes = [programme for programme in programmes if programme.start_date and programme.end_date]
    if not programmes:
        return counts
    final = min(programmes, key=lambda programme: (programme.end_date, programme.code))
    others = [programme for programme in programmes if programme != final] or [final]
    mid_term = next(
        (
            programme
            for programme in others
            if programme.lead_office.region_id and programme.lead_office.region.code == "A/P"
        ),
        others[0],
    )
    for programme, kind in ((final, EvaluationKind.FINAL), (mid_term, EvaluationKind.MID_TERM)):
        evaluation = demo_evaluation(user=user, programme=programme, kind=kind)
        if evaluation is not None:
            counts["evaluations"] += 1
            counts["recommendations"] += evaluation.recommendations.count()
            counts["follow_up_actions"] += FollowUpAction.objects.filter(
                recommendation__evaluation=evaluation
            ).count()
    return counts


@transaction.atomic
def demo_evaluation(*, user, programme, kind: str):
    """One evaluation of the programme with its evaluators (experts of the lead office's region),
    recommendations, management responses and follow-up actions in several statuses, written
    through `results.evaluations`; None when the programme already has one of that kind."""
    import datetime

    from django.utils import timezone

    from experts.models import ExpertProfile
    from network.models import Office, OfficeKind
    from results import evaluations
    from results.models import Evaluation, EvaluationKind

    if Evaluation.objects.filter(programme=programme, kind=kind).exists():
        return None  # a second run changes nothing
    today = timezone.localdate()
    lead = programme.lead_office
    if kind == EvaluationKind.FINAL:
        completed = min(programme.end_date, today - datetime.timedelta(days=120))
    else:
        completed = min(programme.start_date + (programme.end_date - programme.start_date) / 2, today)
        completed -= datetime.timedelta(days=120)
    completed = max(completed, programme.start_date)
    experts = ExpertProfile.objects.filter(region=lead.region_id) if lead.region_id else ExpertProfile.objects
    evaluators = [profile.person for profile in experts.select_related("person").order_by("pk")[:2]]
    evaluation = evaluations.evaluation_save(
        user=user,
        programme=programme,
        data={
            "kind": kind,
            "evaluators": evaluators,
            "terms_of_reference": TERMS[kind],
            "findings": FINDINGS[kind],
            "completed_on": completed,
        },
    )
    rtcs = Office.objects.filter(kind=OfficeKind.RTC, region=lead.region_id).order_by("code")
    rtc = (rtcs.filter(code="rtc-japan").first() or rtcs.first()) if lead.region_id else None
    owners = {"lead": [lead], "rtc": [rtc] if rtc else [lead]}
    for text, response, reason, actions in MID_TERM if kind == EvaluationKind.MID_TERM else FINAL:
        recommendation = evaluations.recommendation_save(
            user=user, evaluation=evaluation, data={"text": text}
        )
        evaluations.response_record(user=user, recommendation=recommendation, response=response, text=reason)
        for what, who, days, status, why in actions:
            action = evaluations.follow_up_add(
                user=user,
                recommendation=recommendation,
                what=what,
                owners=sorted(
                    {office for key in who for office in owners[key]}, key=lambda office: office.pk
                ),
                due_on=today + datetime.timedelta(days=days),
            )
            if status != "open":
                evaluations.follow_up_progress(user=user, action=action, status=status, reason=why)
    return evaluation


def _approved_reports(programmes, user) -> int:
    """The yearly progress report of each ended year of a programme, drafted, submitted and
    approved by the Secretariat (whose documents the jobs worker then writes)."""
    from results import reports
    from results.models import ProgressReport

    made = 0
    last_year = _this_year() - 1
    for programme in programmes:
        for year in range(programme.start_date.year, min(programme.end_date.year, last_year) + 1):
            if ProgressReport.objects.filter(programme=programme, year=year, quarter=None).exists():
                continue
            with transaction.atomic():
                report = reports.report_create(user=user, programme=programme, year=year)
                report = reports.report_update(
                    user=user,
                    report=report,
                    narrative=(
                        f"In {year} the programme delivered its planned workshops on "
                        f"{_topic_of(programme)} and followed up with the beneficiary administrations. "
                        "Risks were reviewed with the donor."
                    ),
                )
                report = reports.report_submit(user=user, report=report)
                reports.report_approve(user=user, report=report)
            made += 1
    return made
