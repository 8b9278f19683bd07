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
