"""What the training pages read: a product's deliveries (sessions held, participants by administration
and gender, evaluation, cost per participant, e-learning completions), its competency coverage, and
a region's matrix of topics × centres with its gaps named in words.

Every figure comes from the user's restricted querysets, in a number of queries that does not grow
with the sessions, products or years."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.dashboards import DELIVERED, PRESENT
from activities.models import Activity, AssistanceRequest, Participation
from network.models import Office, OfficeKind
from topics.models import Topic
from training.models import Competency, Completion, CompletionStatus, Module, Product, ProductStatus

SESSIONS_SHOWN = 50
GAP_YEARS = 3  # a product not delivered in this many years is named as a gap
WEAK_REACTION = 0.6  # a reaction below 60 % of the scale, over enough respondents, is weak


def product_sessions(user, product: Product):
    """The activities that delivered (or will deliver) the product, as the user may see them."""
    return Activity.objects.restrict(user).filter(training_session__product=product)


def product_figures(user, product: Product) -> dict:
    from insights.services import evaluation_figures

    activities = product_sessions(user, product)
    held = activities.filter(status__in=DELIVERED)
    today = timezone.localdate()
    sessions = list(
        activities.select_related("lead_office", "training_session__version").order_by("-start_date", "-pk")[
            :SESSIONS_SHOWN
        ]
    )
    # Each session's participants as the user may see them (the activity page's rule), in one query.
    present = dict(
        Participation.objects.restrict(user)
        .filter(activity__in=[session.pk for session in sessions], attendance__in=PRESENT)
        .order_by()
        .values_list("activity")
        .annotate(n=Count("pk"))
    )
    for session in sessions:
        session.present = present.get(session.pk, 0)
    participations = Participation.objects.restrict(user).filter(
        activity__in=held.values("pk"), attendance__in=PRESENT
    )
    by_member = list(
        participations.order_by()
        .values("member__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "member__name")[:20]
    )
    by_gender = dict(participations.order_by().values_list("person__gender").annotate(n=Count("pk")))
    trained = sum(by_gender.values())
    return {
        "sessions": sessions,
        "session_count": activities.count(),
        "held": held.count(),
        "upcoming": [s for s in sessions if s.start_date and s.start_date >= today],
        "trained": trained,
        "by_member": by_member,
        "by_gender": sorted(by_gender.items()),
        "evaluation": evaluation_figures(user, held),
        # Only for those who see every participant of the sessions (the product's offices): over
        # the participants a focal point may see, the sessions' whole cost would read inflated.
        "cost_per_participant": _cost_per_participant(held, trained) if _sees_all(user, product) else None,
        "completions": _completions(user, product),
    }


def _sees_all(user, product: Product) -> bool:
    from core.permissions import Action, can

    return user.is_authenticated and can(user, Action.CHANGE, product)


def _cost_per_participant(held, trained: int) -> Decimal | None:
    """The sessions' actual costs in euros (at each session's start) over the people trained."""
    from funding.services import RateTable

    if not trained:
        return None
    rates, total = RateTable(), Decimal(0)
    for amount, currency, start in held.exclude(actual_cost=None).values_list(
        "actual_cost", "actual_currency", "start_date"
    ):
        converted = rates.to_eur(Decimal(amount), currency, start or timezone.localdate())
        if converted is not None:
            total += converted
    return (total / trained).quantize(Decimal("1")) if total else None


def _completions(user, product: Product) -> dict[str, int]:
    counts = dict(
        Completion.objects.restrict(user)
        .filter(product=product)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {label: counts.get(value, 0) for value, label in CompletionStatus.choices if counts.get(value)}


def coverage(product: Product) -> list[tuple]:
    """The competencies the product and its modules teach, by area: (area, [(competency, modules)])."""
    modules_of = defaultdict(list)
    for module in Module.objects.filter(product=product).prefetch_related("competencies"):
        for competency in module.competencies.all():
            modules_of[competency.pk].append(module)
    competencies = (
        Competency.objects.filter(Q(products=product) | Q(pk__in=list(modules_of)))
        .select_related("area__framework")
        .distinct()
    )
    by_area = defaultdict(list)
    for competency in competencies:
        by_area[competency.area].append((competency, modules_of.get(competency.pk, [])))
    return sorted(by_area.items(), key=lambda item: (item[0].framework_id, item[0].position, item[0].code))


def framework_coverage(user, framework, region=None) -> dict[int, dict]:
    """For each competency of the framework, the visible products that teach it (on the product or a
    module), network-wide or in one region."""
    products = Product.objects.restrict(user)
    if region is not None:
        products = products.filter(owner_office__region=region)
    direct = products.filter(competencies__area__framework=framework).values_list("competencies", "pk")
    through = products.filter(modules__competencies__area__framework=framework).values_list(
        "modules__competencies", "pk"
    )
    teaching = defaultdict(set)
    for competency, product in [*direct, *through]:
        teaching[competency].add(product)
    names = {
        product.pk: product
        for product in Product.objects.filter(
            pk__in={pk for pks in teaching.values() for pk in pks}
        ).select_related("owner_office")
    }
    return {competency: sorted((names[pk] for pk in pks), key=str) for competency, pks in teaching.items()}


# --- the regional matrix -------------------------------------------------------------------------


@dataclass
class Cell:
    products: list = field(default_factory=list)
    sessions: int = 0


@dataclass
class MatrixRow:
    topic: Topic
    cells: list[Cell]

    @property
    def products(self) -> int:
        return sum(len(cell.products) for cell in self.cells)


@dataclass
class Gap:
    kind: str
    text: str
    topic: Topic | None = None
    product: Product | None = None


@dataclass
class Matrix:
    centres: list[Office]
    rows: list[MatrixRow]
    gaps: list[Gap]
    year_from: int
    year_to: int


def region_matrix(user, region, *, year_from: int, year_to: int) -> Matrix:
    """Topics × the region's training centres: each cell the products offered there on the topic and
    their sessions held in the years; then the gaps in words."""
    centres = list(Office.objects.filter(region=region, kind=OfficeKind.RTC).order_by("name"))
    column = {office.pk: index for index, office in enumerate(centres)}
    products = list(
        Product.objects.restrict(user)
        .filter(owner_office__in=centres, status=ProductStatus.OFFERED)
        .select_related("owner_office")
        .prefetch_related("topics")
        .order_by("title")
    )
    # One query for the shown years and the gap's last GAP_YEARS.
    sessions = _sessions_held(user, products, min(year_from, year_to - GAP_YEARS + 1), year_to)
    cells: dict[int, list[Cell]] = {}
    topics: dict[int, Topic] = {}
    for product in products:
        for topic in product.topics.all():
            topics[topic.pk] = topic
            row = cells.setdefault(topic.pk, [Cell() for _ in centres])
            cell = row[column[product.owner_office_id]]
            product.sessions_held = _in_years(sessions.get(product.pk, {}), year_from, year_to)
            cell.products.append(product)
            cell.sessions += product.sessions_held
    rows = [MatrixRow(topics[pk], cells[pk]) for pk in sorted(topics, key=lambda pk: topics[pk].label)]
    gaps = _gaps(user, region, products, sessions, topics, year_to)
    return Matrix(centres=centres, rows=rows, gaps=gaps, year_from=year_from, year_to=year_to)


def _sessions_held(user, products, year_from: int, year_to: int) -> dict[int, dict[int, int]]:
    """Sessions held per product and year, in one grouped query."""
    from django.db.models.functions import ExtractYear

    held = Activity.objects.restrict(user).filter(
        training_session__product__in=[product.pk for product in products],
        status__in=DELIVERED,
        start_date__year__gte=year_from,
        start_date__year__lte=year_to,
    )
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for product, year, n in (
        held.order_by()
        .annotate(year=ExtractYear("start_date"))
        .values_list("training_session__product", "year")
        .annotate(n=Count("pk"))
    ):
        by_year[product][year] = n
    return by_year


def _in_years(by_year: dict[int, int], year_from: int, year_to: int) -> int:
    return sum(n for year, n in by_year.items() if year_from <= year <= year_to)


def _gaps(user, region, products, sessions_in_range, topics, year_to: int) -> list[Gap]:
    gaps = [
        Gap(
            "need",
            _("“%(topic)s” is needed but no product in the region teaches it.") % {"topic": topic},
            topic=topic,
        )
        for topic in _needed_topics(user, region, year_to)
        if topic.pk not in topics
    ]
    for product in products:
        if not _in_years(sessions_in_range.get(product.pk, {}), year_to - GAP_YEARS + 1, year_to):
            gaps.append(
                Gap(
                    "idle",
                    _("“%(product)s” (%(centre)s) was not delivered in %(years)d years.")
                    % {"product": product, "centre": product.owner_office, "years": GAP_YEARS},
                    product=product,
                )
            )
    for product, score in weak_products(user, products):
        gaps.append(
            Gap(
                "weak",
                _("“%(product)s” (%(centre)s) has weak evaluation results: %(score)d %% of the scale.")
                % {"product": product, "centre": product.owner_office, "score": round(score * 100)},
                product=product,
            )
        )
    return gaps


def _needed_topics(user, region, year_to: int) -> list[Topic]:
    """The region's needs of the last years: the questionnaires' regional needs, and the topics of
    its members' assistance requests."""
    from surveys.models import Need

    # The topics most administrations of the region named (the needs ranking's order), as ids only.
    ids = list(
        Need.objects.restrict(user)
        .filter(region=region.pk, year__gte=year_to - GAP_YEARS + 1, year__lte=year_to)
        .order_by()
        .values("topic")
        .annotate(administrations=Count("member", distinct=True))
        .order_by("-administrations", "topic")
        .values_list("topic", flat=True)[:20]
    )
    since = datetime.date(max(1, year_to - GAP_YEARS + 1), 1, 1)
    requested = (
        AssistanceRequest.objects.restrict(user)
        .filter(region=region, created_at__date__gte=since)
        .values_list("topics", flat=True)
        .distinct()
    )
    wanted = [pk for pk in dict.fromkeys([*ids, *requested]) if pk]
    by_pk = Topic.objects.in_bulk(wanted)
    return [by_pk[pk] for pk in wanted if pk in by_pk]


def weak_products(user, products) -> list[tuple[Product, float]]:
    """Products whose sessions' reaction questionnaires average below WEAK_REACTION of the scale,
    over at least the minimum respondents: three queries for any number of products."""
    from surveys import results
    from surveys.models import Answer, Stage

    ids = [product.pk for product in products]
    responses = results.visible_responses(
        user, wave__stage=Stage.REACTION, wave__activity__training_session__product__in=ids
    )
    respondents = dict(
        responses.order_by().values_list("wave__activity__training_session__product").annotate(n=Count("pk"))
    )
    enough = [pk for pk, n in respondents.items() if n >= results.MIN_CELL]
    if not enough:
        return []
    scales = results.scale_ranges(responses)
    means = (
        Answer.objects.filter(
            response__in=responses.filter(wave__activity__training_session__product__in=enough).values("pk"),
            code__in=scales,
            number__isnull=False,
        )
        .order_by()
        .values_list("response__wave__activity__training_session__product", "code")
        .annotate(mean=Avg("number"), n=Count("pk"))
    )
    totals = defaultdict(lambda: [0.0, 0])
    for product, code, mean, n in means:
        low, high = scales[code]
        totals[product][0] += (mean - low) / (high - low) * n
        totals[product][1] += n
    by_pk = {product.pk: product for product in products}
    return [
        (by_pk[pk], total / weight)
        for pk, (total, weight) in sorted(totals.items())
        if weight and total / weight < WEAK_REACTION
    ]
