"""What an office sees of its part of the network: the home page at a glance and the topic map.

Everything is read through the other apps' restricted querysets (`restrict(user)`), so a focal
point's home holds only its administration's rows and an RTC's only its centre's activities. The
research (accepted PICARD and regional conference papers) and the meetings' actions come from the
conferences and meetings apps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.roles import Role
from activities.models import (
    Activity,
    AssistanceRequest,
    Attendance,
    Nomination,
    NominationStatus,
    Participation,
    RequestStatus,
    Status,
)
from core.permissions import Action
from network.models import Member, Office, OfficeKind, Region

PLANNED = (Status.PROPOSED, Status.APPROVED, Status.FUNDED, Status.SCHEDULED)
DELIVERED = (Status.DELIVERED, Status.EVALUATED, Status.CLOSED)
OPEN_REQUESTS = (RequestStatus.SUBMITTED,)


@dataclass(frozen=True)
class Scope:
    """The part of the network a home page is about."""

    region: Region | None
    office: Office | None = None
    member: Member | None = None

    @property
    def subject(self):
        """What the page is about: the administration, the centre or the region."""
        return self.member or self.office or self.region

    def activities(self, queryset):
        if self.member is not None:
            return queryset.filter(
                Q(host_member=self.member)
                | Q(
                    pk__in=Activity.beneficiary_members.through.objects.filter(member=self.member).values(
                        "activity"
                    )
                )
            )
        if self.office is not None:
            return queryset.filter(lead_office=self.office)
        return queryset.filter(region=self.region)


def scope_for(user) -> Scope | None:
    """An ROCB officer's region, an RTC coordinator's centre, a focal point's administration."""
    if not user.is_authenticated:
        return None
    if user.role == Role.ROCB_OFFICER and user.region_id:
        return Scope(region=user.region)
    if user.role == Role.RTC_COORDINATOR and user.office_id:
        return Scope(region=user.office.region, office=user.office)
    if user.role == Role.FOCAL_POINT and user.member_id:
        return Scope(region=user.member.region, member=user.member)
    return None


# --- the home page -----------------------------------------------------------------------------


@dataclass
class Home:
    scope: Scope
    year: int
    offices: list
    planned: int
    delivered: int
    cancelled: int
    coming: list
    needs: list
    evaluation: object
    experts: int
    expert_names: list
    waiting: list = field(default_factory=list)  # (label, count, url)
    research: list = field(default_factory=list)  # recent accepted papers on the scope's topics


def home(user, *, year: int | None = None) -> Home | None:
    from django.urls import reverse

    scope = scope_for(user)
    if scope is None:
        return None
    year = year or timezone.localdate().year
    activities = scope.activities(Activity.objects.restrict(user)).filter(start_date__year=year)
    by_status = dict(
        activities.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    today = timezone.localdate()
    coming = list(
        scope.activities(Activity.objects.restrict(user))
        .filter(start_date__gte=today, status__in=PLANNED)
        .select_related("lead_office")
        .order_by("start_date", "pk")[:5]
    )
    offices = list(
        Office.objects.filter(region=scope.region, kind__in=[OfficeKind.ROCB, OfficeKind.RTC]).order_by(
            "kind", "name"
        )
    )
    return Home(
        scope=scope,
        year=year,
        offices=offices,
        planned=sum(by_status.get(status, 0) for status in PLANNED),
        delivered=sum(by_status.get(status, 0) for status in DELIVERED),
        cancelled=by_status.get(Status.CANCELLED, 0) + by_status.get(Status.POSTPONED, 0),
        coming=coming,
        needs=_top_needs(user, scope, year),
        evaluation=evaluation_figures(user, activities),
        experts=(experts := _accredited_experts(user, scope))[0],
        expert_names=experts[1],
        waiting=_waiting(user, scope, reverse),
        research=recent_research(user, scope),
    )


RESEARCH_YEARS = 3
RESEARCH_SHOWN = 5


def scope_topics(scope: Scope, *, years: int = RESEARCH_YEARS) -> set[int]:
    """The ids of the topics of the scope's activities of the last `years` years, and of its needs
    (read as two small id lists: an OR of subqueries in the papers' filter reads far more)."""
    from surveys.models import Need

    since = timezone.localdate().year - years + 1
    activities = scope.activities(Activity.objects.all()).filter(start_date__year__gte=since)
    topics = set(
        Activity.topics.through.objects.filter(activity__in=activities.values("pk")).values_list(
            "topic", flat=True
        )
    )
    needs = Need.objects.filter(year__gte=since)
    needs = needs.filter(member=scope.member) if scope.member else needs.filter(region=scope.region)
    return topics | set(needs.values_list("topic", flat=True).distinct())


def recent_research(user, scope: Scope, *, limit: int = RESEARCH_SHOWN) -> list:
    """Accepted papers of the last RESEARCH_YEARS years on the topics the scope works on or needs,
    and those its region's research series put forward, newest first."""
    from conferences.bridge import accepted_papers
    from conferences.models import Submission

    on_topics = Q(topics__in=scope_topics(scope))
    if scope.region is not None:
        on_topics |= Q(on_behalf_of=scope.region)
    papers = (
        Submission.objects.restrict(user)
        .filter(pk__in=accepted_papers(RESEARCH_YEARS).filter(on_topics).values("pk"))
        .select_related("call__conference")
        .order_by("-call__conference__year", "-pk")
    )
    return list(papers[:limit])


def _top_needs(user, scope: Scope, year: int) -> list:
    from surveys.models import Need
    from surveys.needs import regional_needs

    if scope.region is None:
        return []
    needs = Need.objects.restrict(user)
    return regional_needs(needs, region_id=scope.region.pk, year_from=year, year_to=year, limit=5)


def evaluation_figures(user, activities):
    """The year's evaluation in the scope: learning gain, reaction and follow-up over its activities."""
    from surveys import results
    from surveys.models import Stage

    responses = results.visible_responses(user, wave__activity__in=activities.values("pk"))
    reaction, reaction_n = results.reaction_score(responses.filter(wave__stage=Stage.REACTION))
    applied, applied_n = results.applied_rate(responses.filter(wave__stage=Stage.FOLLOW_UP))
    return {
        "learning": results.learning_gain(user, responses),
        "reaction": reaction if reaction_n >= results.MIN_CELL else None,
        "reaction_respondents": reaction_n,
        "applied": applied if applied_n >= results.MIN_CELL else None,
        "applied_respondents": applied_n,
    }


def _accredited_experts(user, scope: Scope) -> tuple[int, list]:
    from experts.models import Accreditation, ExpertProfile
    from experts.services import accredited_filter

    accredited = Accreditation.objects.filter(accredited_filter()).values("profile")
    profiles = ExpertProfile.objects.restrict(user).filter(pk__in=accredited)
    if scope.member is not None:
        profiles = profiles.filter(home_member=scope.member)
    else:
        profiles = profiles.filter(region=scope.region)
    return profiles.count(), list(profiles.select_related("person")[:5])


def _waiting(user, scope: Scope, reverse) -> list[tuple[str, int, str]]:
    """What waits for the user, each with the page where it is done."""
    from django.utils.translation import gettext as _

    from experts.services import waiting_count

    requests = AssistanceRequest.objects.restrict(user).filter(status__in=OPEN_REQUESTS)
    if user.role == Role.FOCAL_POINT:
        requests = AssistanceRequest.objects.none()  # a focal point's requests wait for the ROCB
    nominations = Nomination.objects.restrict(user, Action.CHANGE).filter(status=NominationStatus.PENDING)
    nominations = nominations.filter(activity__in=scope.activities(Activity.objects.all()).values("pk"))
    rows = [
        (_("Requests to answer"), requests.count(), reverse("activities:request_list")),
        (_("Nominations to decide"), nominations.count(), reverse("activities:participation_list")),
        (_("Expert deployments waiting for you"), waiting_count(user), reverse("experts:waiting")),
        (_("Reviews to write"), _reviews_to_write(user), reverse("conferences:my_reviews")),
        (_("Overdue actions of your office"), _overdue_actions(user), reverse("meetings:our_actions")),
        *_training_waiting(user, reverse),
    ]
    return [row for row in rows if row[1]]


def _training_waiting(user, reverse) -> list[tuple[str, int, str]]:
    """A centre's products to develop at its ROCB's invitation; an ROCB's proposals to endorse."""
    from django.utils.translation import gettext as _

    from training.services import invitations_waiting, proposals_waiting

    catalogue = reverse("training:catalogue")
    return [
        (
            _("Products to develop at the ROCB's invitation"),
            invitations_waiting(user).count(),
            f"{catalogue}?status=draft",
        ),
        (_("Training products to endorse"), proposals_waiting(user).count(), f"{catalogue}?status=proposed"),
    ]


def _reviews_to_write(user) -> int:
    """Papers assigned to the user as a reviewer, in a call not yet decided, not yet reviewed."""
    from conferences.models import Assignment, CallStatus, SubmissionStatus

    return (
        Assignment.objects.restrict(user)
        .filter(reviewer__person__user=user.pk, submission__status=SubmissionStatus.SUBMITTED)
        .exclude(submission__call__status=CallStatus.DECIDED)
        .exclude(review__submitted_at__isnull=False)
        .count()
    )


def _overdue_actions(user) -> int:
    from meetings.models import OPEN_ACTIONS, ActionItem
    from meetings.policies import owned

    overdue = ActionItem.objects.filter(owned(user), status__in=OPEN_ACTIONS, due_on__lt=timezone.localdate())
    return ActionItem.objects.restrict(user).filter(pk__in=overdue.values("pk")).count()


# --- the topic map -----------------------------------------------------------------------------


MEASURES = ("needs", "planned", "delivered", "trained", "gain", "research", "experts")


@dataclass
class TopicRow:
    topic: object
    needs: int = 0  # administrations that named it
    planned: int = 0
    delivered: int = 0
    trained: int = 0  # participants who attended
    gain: float | None = None  # mean learning gain (share of the test), where tests were paired
    research: int = 0  # accepted conference papers on it (PICARD and regional research conferences)
    experts: int = 0  # accredited experts of the region on it
    levels: dict = field(default_factory=dict)
    gaps: list = field(default_factory=list)


def topic_map(user, *, region: Region, year_from: int, year_to: int) -> list[TopicRow]:
    """For each topic of the taxonomy: what the region needed, planned, delivered, trained, learnt
    and can staff over the years chosen, each measure graded 0–4 for the heat map, and the gaps
    named in words."""
    from topics.models import Topic

    topics = list(Topic.objects.filter(parent__isnull=False).order_by("position", "slug"))
    rows = {topic.pk: TopicRow(topic=topic) for topic in topics}
    activities = Activity.objects.restrict(user).filter(
        region=region, start_date__year__gte=year_from, start_date__year__lte=year_to
    )
    _fill_needs(user, rows, region, year_from, year_to)
    _fill_activities(rows, activities)
    _fill_trained(user, rows, activities)
    _fill_gains(user, rows, activities)
    _fill_research(user, rows, year_from, year_to)
    _fill_experts(user, rows, region)
    ordered = [rows[topic.pk] for topic in topics]
    _grade(ordered)
    for row in ordered:
        row.gaps = _gaps(row)
    return ordered


def _fill_needs(user, rows, region, year_from, year_to) -> None:
    from surveys.models import Need

    counts = (
        Need.objects.restrict(user)
        .filter(region=region, year__gte=year_from, year__lte=year_to)
        .order_by()
        .values("topic")
        .annotate(n=Count("member", distinct=True))
        .values_list("topic", "n")
    )
    for topic, n in counts:
        if topic in rows:
            rows[topic].needs = n


def _fill_activities(rows, activities) -> None:
    links = (
        Activity.topics.through.objects.filter(activity__in=activities.values("pk"))
        .exclude(activity__status=Status.CANCELLED)
        .values("topic")
        .annotate(
            planned=Count("activity", filter=Q(activity__status__in=PLANNED)),
            delivered=Count("activity", filter=Q(activity__status__in=DELIVERED)),
        )
        .values_list("topic", "planned", "delivered")
    )
    for topic, planned, delivered in links:
        if topic in rows:
            rows[topic].planned, rows[topic].delivered = planned, delivered


def _fill_trained(user, rows, activities) -> None:
    """Participants who attended (in full or in part) the topic's delivered activities."""
    counts = (
        Participation.objects.restrict(user)
        .filter(
            activity__in=activities.filter(status__in=DELIVERED).values("pk"),
            attendance__in=[Attendance.ATTENDED, Attendance.PARTIAL],
        )
        .order_by()
        .values("activity__topics")
        .annotate(n=Count("pk"))
        .values_list("activity__topics", "n")
    )
    for topic, n in counts:
        if topic in rows:
            rows[topic].trained = n


def _fill_gains(user, rows, activities) -> None:
    """The mean post-minus-pre score of each topic's activities, paired through the person."""
    from surveys import results
    from surveys.models import Stage

    scores = results.visible_responses(
        user,
        wave__activity__in=activities.values("pk"),
        wave__stage__in=[Stage.PRE_TEST, Stage.POST_TEST],
        score__isnull=False,
        person__isnull=False,
    ).values_list("wave__activity", "wave__stage", "person", "score")
    tests = defaultdict(dict)
    for activity, stage, person, score in scores:
        tests[(activity, person)][stage] = score
    gains_by_activity = defaultdict(list)
    for (activity, _person), pair in tests.items():
        if Stage.PRE_TEST in pair and Stage.POST_TEST in pair:
            gains_by_activity[activity].append(pair[Stage.POST_TEST] - pair[Stage.PRE_TEST])
    if not gains_by_activity:
        return
    by_topic = defaultdict(list)
    links = Activity.topics.through.objects.filter(activity__in=list(gains_by_activity))
    for activity, topic in links.values_list("activity", "topic"):
        by_topic[topic] += gains_by_activity[activity]
    for topic, gains in by_topic.items():
        if topic in rows:
            rows[topic].gain = sum(gains) / len(gains)


def _fill_research(user, rows, year_from, year_to) -> None:
    """Accepted papers of the years' conferences on each topic: research covers the network's
    topics, so a region's map shows all of it beside what the region teaches."""
    from conferences.models import ACCEPTED, Submission

    papers = Submission.objects.restrict(user).filter(
        status__in=ACCEPTED,
        call__conference__year__gte=year_from,
        call__conference__year__lte=year_to,
    )
    counts = (
        Submission.topics.through.objects.filter(submission__in=papers.values("pk"))
        .values("topic")
        .annotate(n=Count("submission"))
        .values_list("topic", "n")
    )
    for topic, n in counts:
        if topic in rows:
            rows[topic].research = n


def _fill_experts(user, rows, region) -> None:
    from experts.models import Accreditation, ExpertProfile
    from experts.services import accredited_filter

    accredited = Accreditation.objects.filter(accredited_filter()).values("profile")
    profiles = ExpertProfile.objects.restrict(user).filter(pk__in=accredited, region=region)
    counts = (
        ExpertProfile.topics.through.objects.filter(expertprofile__in=profiles.values("pk"))
        .values("topic")
        .annotate(n=Count("expertprofile"))
        .values_list("topic", "n")
    )
    for topic, n in counts:
        if topic in rows:
            rows[topic].experts = n


def _grade(rows: list[TopicRow]) -> None:
    """0 for nothing, then 1–4 by where the value stands against the measure's largest."""
    for measure in MEASURES:
        values = [getattr(row, measure) for row in rows]
        top = max((value for value in values if value), default=0)
        for row, value in zip(rows, values, strict=True):
            if not value or not top or value <= 0:
                row.levels[measure] = 0
            else:
                row.levels[measure] = min(4, 1 + int(3.999 * value / top))


def _gaps(row: TopicRow) -> list[str]:
    from django.utils.translation import gettext as _

    gaps = []
    if row.needs and not row.delivered and not row.planned:
        gaps.append(_("needed but not delivered"))
    elif row.needs and not row.delivered:
        gaps.append(_("needed, planned but not yet delivered"))
    if row.research and not row.delivered and not row.planned:
        gaps.append(_("researched but not yet taught"))
    if row.delivered and not row.experts:
        gaps.append(_("taught but no expert of the region accredited on it"))
    if row.delivered and row.gain is None:
        gaps.append(_("delivered but its learning not measured"))
    return gaps


def year_range(data, default_span: int = 1) -> tuple[int, int]:
    """(first year, last year) from `from`/`to`, or a ValidationError saying what a year is."""
    from core.filtersets import year_from_text

    this_year = timezone.localdate().year
    year_to = year_from_text(data["to"]) if data.get("to") else this_year
    year_from = year_from_text(data["from"]) if data.get("from") else year_to - default_span + 1
    return year_from, year_to
