"""The measures an indicator can be computed from: each one a function of a programme's activities
in a year (the activities of its projects), with the rows behind its value.

A measure reads every row of the programme, whoever asks: a programme's figure is the same for its
lead office, its donor and the public once published. The rows behind a value are listed through
the asker's restricted querysets (`rows`), so a donor sees the activities counted, not the people.
Values are never stored: they follow the data as it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DELIVERED = ["delivered", "evaluated", "closed"]
PRESENT = ["attended", "partial"]


@dataclass(frozen=True)
class Measure:
    code: str
    label: object
    value: Callable  # (activities queryset, indicator) -> Decimal | None
    rows: str  # "activities" or "participations": what the rows behind it are
    uses: tuple[str, ...] = ()  # which of kind, topic, gender the measure reads
    # For a count: (activities, indicator) -> (queryset, path to the activity's start date, what is
    # counted distinctly), so every year is counted in one grouped query.
    counted: Callable | None = None


def programme_activities(programme, year: int | None = None):
    from activities.models import Activity

    activities = Activity.objects.filter(project__programme=programme)
    if year is not None:
        activities = activities.filter(start_date__year=year)
    return activities


def _delivered(activities, indicator):
    activities = activities.filter(status__in=DELIVERED)
    if indicator.measure_kind:
        activities = activities.filter(kind=indicator.measure_kind)
    if indicator.measure_topic_id:
        activities = activities.filter(topics=indicator.measure_topic_id).distinct()
    return activities


def _present(activities, indicator):
    from activities.models import Participation

    participations = Participation.objects.filter(
        activity__in=_delivered(activities, indicator).values("pk"), attendance__in=PRESENT
    )
    if indicator.measure_gender:
        participations = participations.filter(gender=indicator.measure_gender)
    return participations


def _count(queryset) -> Decimal:
    return Decimal(queryset.count())


def activities_delivered(activities, indicator):
    return _count(_delivered(activities, indicator))


def _counted_activities(activities, indicator):
    return _delivered(activities, indicator), "start_date", "pk"


def _counted_people(activities, indicator):
    return _present(activities, indicator), "activity__start_date", "person"


def _counted_participations(activities, indicator):
    return _present(activities, indicator), "activity__start_date", "pk"


def _counted_members(activities, indicator):
    from activities.models import Activity

    through = Activity.beneficiary_members.through.objects.filter(
        activity__in=_delivered(activities, indicator).values("pk")
    )
    return through, "activity__start_date", "member"


def participants_trained(activities, indicator):
    """People trained: each person once, whatever the number of sessions they attended."""
    return Decimal(_present(activities, indicator).values("person").distinct().count())


def certificates_issued(activities, indicator):
    """A certificate for each participation attended in full or in part (activities.certificates)."""
    return _count(_present(activities, indicator))


def administrations_reached(activities, indicator):
    from activities.models import Activity

    delivered = _delivered(activities, indicator)
    through = Activity.beneficiary_members.through.objects.filter(activity__in=delivered.values("pk"))
    return Decimal(through.values("member").distinct().count())


def _responses(activities, indicator, stages):
    from surveys.models import Response, ResponseStatus

    return Response.objects.filter(
        wave__activity__in=_delivered(activities, indicator).values("pk"),
        wave__stage__in=stages,
        status=ResponseStatus.SUBMITTED,
    )


def learning_gain(activities, indicator):
    """Mean post-test minus pre-test score, in points, over the people who took both."""
    from surveys.models import Stage

    scores = _responses(activities, indicator, [Stage.PRE_TEST, Stage.POST_TEST]).filter(
        score__isnull=False, person__isnull=False
    )
    pairs: dict = {}
    for activity, stage, person, score in scores.values_list(
        "wave__activity", "wave__stage", "person", "score"
    ):
        pairs.setdefault((activity, person), {})[stage] = score
    gains = [
        pair[Stage.POST_TEST] - pair[Stage.PRE_TEST]
        for pair in pairs.values()
        if Stage.PRE_TEST in pair and Stage.POST_TEST in pair
    ]
    if not gains:
        return None
    return (Decimal(str(sum(gains) / len(gains))) * 100).quantize(Decimal("0.1"))


def follow_up_rate(activities, indicator):
    """The share (%) of follow-up answers saying the learning was applied fully or partly."""
    from surveys import results
    from surveys.models import Stage

    rate, respondents = results.applied_rate(_responses(activities, indicator, [Stage.FOLLOW_UP]))
    if rate is None or respondents == 0:
        return None
    return (Decimal(str(rate)) * 100).quantize(Decimal("0.1"))


def experts_deployed(activities, indicator):
    from experts.models import Deployment, DeploymentStatus

    done = [DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]
    deployments = Deployment.objects.filter(
        slot__activity__in=_delivered(activities, indicator).values("pk"), status__in=done
    )
    return _count(deployments)


def needs_answered(activities, indicator):
    """The needs (a topic named by an administration) the programme's activities were planned from."""
    from surveys.models import ActivityNeed

    return _count(ActivityNeed.objects.filter(activity__in=activities.values("pk")))


def actions_done(activities, indicator):
    """Meeting actions done whose evidence is one of the programme's activities."""
    from meetings.models import ActionItem, ActionStatus

    return _count(
        ActionItem.objects.filter(Q(activity__in=activities.values("pk")), status=ActionStatus.DONE)
    )


MEASURES: dict[str, Measure] = {
    measure.code: measure
    for measure in (
        Measure(
            "activities_delivered",
            _("Activities delivered"),
            activities_delivered,
            "activities",
            ("kind", "topic"),
        ),
        Measure(
            "participants_trained",
            _("Participants trained"),
            participants_trained,
            "participations",
            ("kind", "topic", "gender"),
        ),
        Measure(
            "certificates_issued",
            _("Certificates issued"),
            certificates_issued,
            "participations",
            ("kind", "topic", "gender"),
        ),
        Measure(
            "administrations_reached",
            _("Administrations reached"),
            administrations_reached,
            "activities",
            ("kind", "topic"),
        ),
        Measure(
            "learning_gain", _("Mean learning gain (points)"), learning_gain, "activities", ("kind", "topic")
        ),
        Measure(
            "follow_up_rate", _("Applied the learning (%)"), follow_up_rate, "activities", ("kind", "topic")
        ),
        Measure("experts_deployed", _("Experts deployed"), experts_deployed, "activities", ("kind", "topic")),
        Measure("needs_answered", _("Needs answered"), needs_answered, "activities", ()),
        Measure("actions_done", _("Meeting actions done"), actions_done, "activities", ()),
    )
}


def measure_choices():
    return [("", _("Recorded by hand"))] + [(code, measure.label) for code, measure in MEASURES.items()]


def computed_values(indicator, years: list[int]) -> dict[int, Decimal | None]:
    """Each year's computed value: one grouped query for a count, one computation per year else."""
    from django.db.models import Count

    measure = MEASURES.get(indicator.measure)
    if measure is None or not years:
        return {}
    programme = indicator.result.programme
    if measure.counted is None:
        return {year: computed_value(indicator, year) for year in years}
    queryset, date_path, counted = measure.counted(programme_activities(programme), indicator)
    rows = (
        queryset.filter(**{f"{date_path}__year__in": years})
        .order_by()
        .values(f"{date_path}__year")
        .annotate(n=Count(counted, distinct=True))
        .values_list(f"{date_path}__year", "n")
    )
    found = dict(rows)
    return {year: Decimal(found.get(year, 0)) for year in years}


def computed_value(indicator, year: int) -> Decimal | None:
    measure = MEASURES.get(indicator.measure)
    if measure is None:
        return None
    return measure.value(programme_activities(indicator.result.programme, year), indicator)


def rows(indicator, year: int, user):
    """The rows behind a computed value, as the user may see them: (kind, queryset)."""
    from activities.models import Activity, Participation

    measure = MEASURES[indicator.measure]
    activities = programme_activities(indicator.result.programme, year)
    if measure.rows == "participations":
        ids = _present(activities, indicator).values("pk")
        return "participations", Participation.objects.restrict(user).filter(pk__in=ids)
    chosen = (
        activities
        if measure.code in ("needs_answered", "actions_done")
        else _delivered(activities, indicator)
    )
    return "activities", Activity.objects.restrict(user).filter(pk__in=chosen.values("pk"))
