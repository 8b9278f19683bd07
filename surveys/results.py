"""What the answers say: per-question charts and tables, learning gain, reaction and follow-up.

Everything is counted in SQL on the responses the viewer may see counted
(`surveys.policies.aggregate_responses`), so the number of queries does not grow with the answers.
An anonymous wave, and any wave a donor looks at, never shows a figure over fewer than
`MIN_CELL` respondents: a filter that narrows the group below it shows nothing but that fact.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from surveys import definition as spec
from surveys.models import Answer, Response, ResponseStatus, Stage, Wave
from surveys.policies import aggregate_responses

MIN_CELL = 5
FILTERS = ("member", "region", "gender", "role")
TEXTS_SHOWN = 30
APPLIED = {"fully", "partly"}  # the follow-up's `applied_learning` answers that count as applied


def visible_responses(user, **conditions):
    """Submitted responses the user may see counted."""
    condition = aggregate_responses(user)
    if condition is None:
        return Response.objects.none()
    return Response.objects.filter(condition, status=ResponseStatus.SUBMITTED, **conditions)


def must_suppress(user, wave: Wave) -> bool:
    return wave.anonymous or (user.is_authenticated and user.role == Role.DONOR)


def clean_filters(data) -> dict:
    """The breakdown chosen in the query string, keeping only well-formed values."""
    chosen = {}
    for name in FILTERS:
        value = str(data.get(name, "")).strip()
        if not value:
            continue
        if name in ("member", "region"):
            if value.isdigit() and len(value) < 10:
                chosen[f"{name}_id"] = int(value)
        elif len(value) <= 20 and value.replace("_", "").isalpha():
            chosen[name] = value
    return chosen


@dataclass
class QuestionResult:
    code: str
    kind: str
    label: str
    answered: int = 0
    labels: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    rows: list[tuple[str, float | None, int]] = field(default_factory=list)  # matrix: label, mean, n

    @property
    def table(self) -> list[tuple[str, float]]:
        return list(zip(self.labels, self.values, strict=True))

    @property
    def chart(self) -> dict:
        kind = "bar" if self.kind != "single" or len(self.labels) > 5 else "doughnut"
        return {"type": kind, "title": self.label, "labels": self.labels, "values": self.values}


@dataclass
class WaveResults:
    respondents: int
    suppressed: bool
    questions: list[QuestionResult]
    by_member: list[tuple[str, int | None]]


def merged_definition(wave: Wave, responses) -> dict:
    """The questions of every version the responses answered, the newest wording first."""
    from surveys.models import QuestionnaireVersion

    version_ids = responses.order_by().values("version").distinct()
    versions = QuestionnaireVersion.objects.filter(
        Q(pk__in=version_ids) | Q(pk=wave.questionnaire.versions.order_by("-number").values("pk")[:1])
    ).order_by("-number")
    seen, sections = set(), []
    for version in versions:
        for section in version.definition["sections"]:
            fresh = [question for question in section["questions"] if question["code"] not in seen]
            seen |= {question["code"] for question in fresh}
            if fresh:
                sections.append({**section, "questions": fresh})
    return {"languages": ["en"], "sections": sections}


def wave_results(user, wave: Wave, filters: dict, language: str) -> WaveResults:
    responses = visible_responses(user, wave=wave, **filters)
    respondents = responses.count()
    careful = must_suppress(user, wave)
    suppressed = careful and respondents < MIN_CELL
    if careful and filters and not suppressed:
        # A filtered group and what it leaves out must both hold 5 or more: otherwise the two
        # figures' difference shows the few left out.
        left_out = visible_responses(user, wave=wave).count() - respondents
        suppressed = 0 < left_out < MIN_CELL
    by_member = _by_member(responses, careful, language)
    if suppressed or not respondents:
        return WaveResults(0 if suppressed else respondents, suppressed, [], by_member)
    definition = merged_definition(wave, responses)
    questions = question_results(definition, responses, language)
    if careful:
        questions = [_withheld(question, donor=user.role == Role.DONOR) for question in questions]
    return WaveResults(respondents, False, questions, by_member)


def _withheld(question: QuestionResult, *, donor: bool) -> QuestionResult:
    """A question answered by fewer than 5 shows nothing; a donor never reads free texts."""
    if question.answered < MIN_CELL:
        question.labels, question.values, question.rows, question.mean = [], [], [], None
        question.texts = []
    if donor:
        question.texts = []
    return question


def respondents_by_year(responses, code: str) -> list[tuple[int, int]]:
    """How many of the responses answered the question `code`, year by year."""
    return list(
        Answer.objects.filter(code=code, response__in=responses.order_by().values("pk"))
        .order_by()
        .values("response__wave__year")
        .annotate(n=Count("response", distinct=True))
        .order_by("response__wave__year")
        .values_list("response__wave__year", "n")
    )


def _by_member(responses, suppress: bool, language: str) -> list[tuple[str, int | None]]:
    from network.models import Member

    counts = dict(responses.order_by().values("member").annotate(n=Count("pk")).values_list("member", "n"))
    names = {member.pk: member.label for member in Member.objects.filter(pk__in=[pk for pk in counts if pk])}
    rows = [
        (names.get(pk, _("Not known")), n if not suppress or n >= MIN_CELL else None)
        for pk, n in counts.items()
    ]
    return sorted(rows, key=lambda row: (-(row[1] or 0), row[0]))


def question_results(definition: dict, responses, language: str) -> list[QuestionResult]:
    questions = list(spec.questions(definition))
    text_codes = [q["code"] for q in questions if q["kind"] in ("text", "long_text")]
    answers = Answer.objects.filter(
        code__in=[q["code"] for q in questions], response__in=responses.order_by().values("pk")
    )
    grouped = defaultdict(list)
    for row in (
        answers.exclude(code__in=text_codes)
        .values("code", "row", "text", "number")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        grouped[row["code"]].append(row)
    answered = dict(
        answers.order_by()
        .values("code")
        .annotate(n=Count("response", distinct=True))
        .values_list("code", "n")
    )
    texts = defaultdict(list)
    for code, text in answers.filter(code__in=text_codes).order_by("-pk").values_list("code", "text")[:2000]:
        if len(texts[code]) < TEXTS_SHOWN:
            texts[code].append(text)
    names = _pick_names(questions, grouped)
    results = []
    for question in questions:
        result = QuestionResult(
            code=question["code"],
            kind=question["kind"],
            label=spec.text_in(question["label"], language),
            answered=answered.get(question["code"], 0),
            texts=texts.get(question["code"], []),
        )
        _fill(result, question, grouped.get(question["code"], []), language, names)
        results.append(result)
    return results


def _pick_names(questions, grouped) -> dict[str, str]:
    """Topic and administration names for the values picked, in one query each."""
    from network.models import Member
    from topics.models import Topic

    kinds = {q["code"]: q["kind"] for q in questions}
    slugs = {row["text"] for code, rows in grouped.items() if kinds.get(code) == "topic" for row in rows}
    codes = {row["text"] for code, rows in grouped.items() if kinds.get(code) == "member" for row in rows}
    names = {topic.slug: topic.label for topic in Topic.objects.filter(slug__in=slugs)} if slugs else {}
    if codes:
        names |= {member.iso_alpha2: member.label for member in Member.objects.filter(iso_alpha2__in=codes)}
    return names


def _fill(result: QuestionResult, question: dict, rows: list[dict], language: str, names: dict) -> None:
    kind = question["kind"]
    if kind in ("single", "multiple"):
        counts = {row["text"]: row["n"] for row in rows}
        for choice in question["choices"]:
            result.labels.append(spec.text_in(choice["label"], language))
            result.values.append(counts.get(choice["value"], 0))
    elif kind in ("topic", "member"):
        for row in sorted(rows, key=lambda row: -row["n"])[:25]:
            result.labels.append(names.get(row["text"], row["text"]))
            result.values.append(row["n"])
    elif kind in ("rating", "number"):
        points = sorted((row["number"], row["n"]) for row in rows if row["number"] is not None)
        if kind == "rating":
            counts = dict(points)
            scale = range(question["scale"]["min"], question["scale"]["max"] + 1)
            result.labels = [str(point) for point in scale]
            result.values = [counts.get(float(point), 0) for point in scale]
        else:
            result.labels = [_number_text(value) for value, _n in points[:40]]
            result.values = [n for _value, n in points[:40]]
        expanded = [value for value, n in points for _ in range(n)]
        result.mean = round(statistics.fmean(expanded), 2) if expanded else None
    elif kind == "matrix":
        by_row = defaultdict(list)
        for row in rows:
            by_row[row["row"]] += [row["number"]] * row["n"]
        for row in question["rows"]:
            values = by_row.get(row["value"], [])
            mean = round(statistics.fmean(values), 2) if values else None
            result.rows.append((spec.text_in(row["label"], language), mean, len(values)))
            result.labels.append(spec.text_in(row["label"], language))
            result.values.append(mean or 0)
    elif kind == "date":
        for row in sorted(rows, key=lambda row: row["text"])[:40]:
            result.labels.append(row["text"])
            result.values.append(row["n"])


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- an activity's evaluation: learning, reaction, follow-up -----------------------------------


@dataclass
class Learning:
    pre_mean: float | None
    post_mean: float | None
    paired: int
    gain_mean: float | None
    people: list[tuple[str, float, float, float]]  # name, pre, post, gain (where rows may be seen)


@dataclass
class Evaluation:
    waves: list[tuple[Wave, int, int]]  # wave, links issued, responses submitted
    learning: Learning | None
    reaction: float | None  # mean rating as a share of the scale (0–1)
    reaction_respondents: int
    applied: float | None  # share of follow-up answers saying the learning was applied
    follow_up_respondents: int


def activity_evaluation(user, activity, waves: list[Wave] | None = None) -> Evaluation:
    from surveys.models import Invitation

    waves = waves if waves is not None else list(Wave.objects.restrict(user).filter(activity=activity))
    responses = visible_responses(user, wave__activity=activity)
    submitted = dict(responses.order_by().values("wave").annotate(n=Count("pk")).values_list("wave", "n"))
    issued = dict(
        Invitation.objects.filter(wave__in=[wave.pk for wave in waves])
        .order_by()
        .values("wave")
        .annotate(n=Count("pk"))
        .values_list("wave", "n")
    )
    rows = [(wave, issued.get(wave.pk, 0), submitted.get(wave.pk, 0)) for wave in waves]
    reaction, reaction_n = reaction_score(responses.filter(wave__stage=Stage.REACTION))
    applied, follow_n = applied_rate(responses.filter(wave__stage=Stage.FOLLOW_UP))
    return Evaluation(rows, learning_gain(user, responses), reaction, reaction_n, applied, follow_n)


EVALUATION_CACHE_SECONDS = 600


def cached_activity_evaluation(user, activity, waves: list[Wave]) -> Evaluation:
    """`activity_evaluation`, kept per user until an answer or a link of the activity changes: the
    stamp (how many responses and links, and the latest change of each) is one cheap query each,
    where the figures read every answer of the activity."""
    from django.core.cache import cache
    from django.db.models import Max

    from surveys.models import Invitation

    ids = [wave.pk for wave in waves]
    answered = Response.objects.filter(wave__in=ids).aggregate(n=Count("pk"), last=Max("updated_at"))
    invited = Invitation.objects.filter(wave__in=ids).aggregate(n=Count("pk"), last=Max("updated_at"))
    stamp = "-".join(str(value) for value in (*answered.values(), *invited.values(), *ids))
    digest = hashlib.sha1(stamp.encode(), usedforsecurity=False).hexdigest()[:16]
    scope = f"{user.pk}:{user.role}:{user.region_id}:{user.office_id}:{user.member_id}:{user.donor_id}"
    key = f"surveys:evaluation:{activity.pk}:{scope}:{translation.get_language()}:{digest}"
    evaluation = cache.get(key)
    if evaluation is None:
        evaluation = activity_evaluation(user, activity, waves)
        cache.set(key, evaluation, EVALUATION_CACHE_SECONDS)
    return evaluation


def learning_gain(user, responses) -> Learning | None:
    """Pre- and post-test scores paired through the person: the gain is post minus pre, for each
    participant who took both (anonymous waves cannot be paired and are left out)."""
    from core.permissions import grants_filter
    from surveys.policies import RESPONSE_VIEW

    tests = responses.filter(wave__stage__in=[Stage.PRE_TEST, Stage.POST_TEST], score__isnull=False)
    scores = list(tests.values_list("wave__stage", "person", "score", "wave__anonymous"))
    if not scores:
        return None
    pre = {person: score for stage, person, score, _a in scores if stage == Stage.PRE_TEST and person}
    post = {person: score for stage, person, score, _a in scores if stage == Stage.POST_TEST and person}
    pre_all = [score for stage, _p, score, _a in scores if stage == Stage.PRE_TEST]
    post_all = [score for stage, _p, score, _a in scores if stage == Stage.POST_TEST]
    paired = sorted(set(pre) & set(post))
    gains = [post[person] - pre[person] for person in paired]
    people = []
    seeing = grants_filter(user, RESPONSE_VIEW)
    if paired and seeing is not None:
        from people.models import Person

        visible = set(tests.filter(seeing).values_list("person", flat=True))
        names = {
            person.pk: str(person)
            for person in Person.objects.filter(pk__in=[p for p in paired if p in visible])
        }
        people = [(names[p], pre[p], post[p], post[p] - pre[p]) for p in paired if p in names]
    # A mean over anonymous tests (or any a donor sees) needs 5 scores behind it.
    donor = user.is_authenticated and user.role == Role.DONOR
    for stage, values in ((Stage.PRE_TEST, pre_all), (Stage.POST_TEST, post_all)):
        anonymous = any(a for s, _p, _score, a in scores if s == stage)
        if (donor or anonymous) and len(values) < MIN_CELL:
            values.clear()
    return Learning(
        pre_mean=statistics.fmean(pre_all) if pre_all else None,
        post_mean=statistics.fmean(post_all) if post_all else None,
        paired=len(paired),
        gain_mean=statistics.fmean(gains) if gains else None,
        people=people,
    )


def scale_ranges(responses) -> dict[str, tuple[float, float]]:
    """Each rating question's (min, max) in the questionnaire versions these responses answered."""
    from surveys.models import QuestionnaireVersion

    scales = {}
    for definition in QuestionnaireVersion.objects.filter(
        pk__in=responses.order_by().values("version")
    ).values_list("definition", flat=True):
        for question in spec.questions(definition):
            if question["kind"] in spec.SCALE_KINDS:
                scales[question["code"]] = (question["scale"]["min"], question["scale"]["max"])
    return scales


def reaction_score(responses) -> tuple[float | None, int]:
    """Every rating given at the end (ratings and matrix rows) as a share of its scale, averaged."""
    respondents = responses.count()
    if not respondents:
        return None, 0
    scales = scale_ranges(responses)
    means = (
        Answer.objects.filter(
            response__in=responses.order_by().values("pk"), code__in=scales, number__isnull=False
        )
        .order_by()
        .values("code")
        .annotate(mean=Avg("number"), n=Count("pk"))
    )
    total = weight = 0.0
    for row in means:
        low, high = scales[row["code"]]
        total += (row["mean"] - low) / (high - low) * row["n"]
        weight += row["n"]
    return (total / weight if weight else None), respondents


def applied_rate(responses) -> tuple[float | None, int]:
    answers = Answer.objects.filter(response__in=responses.order_by().values("pk"), code="applied_learning")
    counts = dict(answers.order_by().values("text").annotate(n=Count("pk")).values_list("text", "n"))
    total = sum(counts.values())
    if not total:
        return None, 0
    return sum(n for text, n in counts.items() if text in APPLIED) / total, total
