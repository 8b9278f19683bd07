"""Conflicts of interest, ranked shortlists with reasons, and the year's plan, on core.assignment.

Everything is computed the same way for one expert and one slot (`conflicts_for`), one slot and
every expert (`shortlist`) and a year's slots and every expert (`plan_year`): the candidates' facts
are loaded in a handful of queries (`Facts`), and each slot becomes one column of numpy vectors over
all experts (`Column`): the weighted components of the score (`WEIGHTS`, the one place they are set)
and the hard and soft rules. Reasons and conflict messages are worded from the same facts, so what
the page says is what the score used.

Rules (hard: never overridden; soft: a curator may override with a recorded reason):

- hard: own administration on a diagnostic or advisory mission; a declared conflict with the
  beneficiary; double booking (an active deployment on overlapping dates) and declared
  unavailability; already on the activity's team; the yearly limit (the profile's own or
  EXPERTS_MAX_DEPLOYMENTS_PER_YEAR); an evaluation saying "not to be deployed again"; a lead slot
  takes only experts accredited in a fitting pool (a team needs an accredited lead); none of the
  slot's languages (except for an observer in training, for whom it is soft).
- soft: a language at working level only, or only some of the activity's languages; accredited in
  another pool of the same kind, or only in a pool of another kind, or not at all (non-lead roles);
  3+ past missions with the same beneficiary (continuity fatigue); an evaluation recommending less
  demanding tasks, for a lead slot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import LANGUAGES, Activity, ActivityKind, Status
from core.assignment import AssignmentProblem, ConstraintMatrix, ScoreMatrix, overlap_groups, solve
from core.permissions import Action
from experts.models import (
    ACTIVE_DEPLOYMENT,
    AccreditationStatus,
    Deployment,
    DeploymentStatus,
    ExpertProfile,
    PoolKind,
    Slot,
    SlotRole,
)
from experts.snapshot import IN_PROGRESS, LANGUAGE_CODES, current_roster, raw_rows
from topics.models import Topic

# The score is a weighted sum of components, each in [0, 1]; the weights add up to 1, so a score is
# a share of a perfect match (shown as /100).
WEIGHTS: dict[str, float] = {
    "topics": 0.18,  # the profile's topics vs the activity's
    "cv": 0.20,  # the CV and expertise (embedded) vs the objectives and terms of reference
    "experience": 0.10,  # past delivered missions on the activity's topics
    "language": 0.14,  # the slot's language, or the activity's languages, at the expert's level
    "pool": 0.16,  # accredited in the slot's pool (or a pool of the same kind)
    "region": 0.06,  # from the activity's region
    "feedback": 0.08,  # average rating of past evaluations
    "workload": 0.05,  # fewer deployments this year
    "continuity": 0.03,  # one or two past missions with the same beneficiary
}
COMPONENT_LABELS = {
    "topics": gettext_lazy("Topics"),
    "cv": gettext_lazy("CV and terms of reference"),
    "experience": gettext_lazy("Past missions on the topics"),
    "language": gettext_lazy("Languages"),
    "pool": gettext_lazy("Pool and accreditation"),
    "region": gettext_lazy("Region"),
    "feedback": gettext_lazy("Past feedback"),
    "workload": gettext_lazy("Workload this year"),
    "continuity": gettext_lazy("Continuity with the beneficiary"),
}
# Soft rules' penalties, subtracted from the score.
PENALTIES: dict[str, float] = {
    "language_working": 0.04,
    "language_partial": 0.05,
    "other_pool": 0.04,
    "not_in_fitting_pool": 0.10,
    "not_accredited": 0.15,
    "language": 0.10,  # soft only for an observer in training
    "continuity_fatigue": 0.06,
    "less_demanding": 0.08,
}
HARD_RULES = (
    "own_administration",
    "declared_conflict",
    "double_booking",
    "unavailable",
    "already_on_team",
    "yearly_limit",
    "not_again",
    "lead_not_accredited",
    "language",
)
OWN_ADMINISTRATION_KINDS = {ActivityKind.DIAGNOSTIC_MISSION, ActivityKind.ADVISORY_MISSION}
PLANNED_STATUSES = [Status.PROPOSED, Status.APPROVED, Status.FUNDED, Status.SCHEDULED]
LEVEL_SCORE = np.array([0.0, 0.5, 0.9, 1.0], dtype=np.float32)
DONE = [DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]
CV_FLOOR, CV_SPAN = 0.15, 0.45  # MiniLM cosine 0.15 -> 0, 0.60 -> 1


@dataclass(frozen=True)
class Conflict:
    rule: str
    hard: bool
    message: str


@dataclass
class Candidate:
    profile: ExpertProfile
    score: float
    reasons: list[str]
    components: dict[str, float]
    warnings: list[Conflict] = field(default_factory=list)  # soft rules a pick would override


@dataclass
class Excluded:
    profile: ExpertProfile
    conflicts: list[Conflict]


@dataclass
class Shortlist:
    candidates: list[Candidate]
    excluded: list[Excluded]
    excluded_counts: dict[str, int] = field(default_factory=dict)  # rule -> experts it excluded
    considered: int = 0


@dataclass
class Plan:
    assignments: dict[int, list]  # slot id -> [profile id or None, alternate, alternate]
    score: float
    greedy_score: float
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # phase -> seconds (load, embed, score, solve)
    status: str = ""
    details: dict[int, list[dict]] = field(default_factory=dict)  # slot id -> [{profile, score, reasons}]


def slot_text(slot: Slot) -> str:
    """What the profile is compared with: the activity's title and objectives, the terms of reference."""
    activity = slot.activity
    return "\n".join(part for part in (activity.title, slot.terms_of_reference, activity.objectives) if part)


_vectors: dict[str, bytes] = {}  # slot text -> its embedding, per process


def _remember(text: str, vector: np.ndarray) -> None:
    if len(_vectors) > 4096:
        _vectors.clear()
    _vectors[text] = np.asarray(vector, dtype=np.float32).tobytes()


def embed_texts(texts: list[str]) -> np.ndarray:
    """The slots' texts embedded, each cached by its text (one model call for the new ones)."""
    from knowledge.embeddings import DIMENSIONS, embed

    missing = [text for text in dict.fromkeys(texts) if text and text not in _vectors]
    if missing:
        for text, vector in zip(missing, embed(missing), strict=True):
            _remember(text, vector)
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for index, text in enumerate(texts):
        if text:
            vectors[index] = np.frombuffer(_vectors[text], dtype=np.float32)
    return vectors


def _slot_vector(text: str) -> np.ndarray | None:
    if not text:
        return None
    if text not in _vectors:
        from knowledge.embeddings import embed

        _remember(text, embed([text])[0])
    return np.frombuffer(_vectors[text], dtype=np.float32)


def _ordinal(value: datetime.date | None) -> float:
    return float(value.toordinal()) if value else np.nan


class Facts:
    """Every fact the rules and the score need about the experts `profiles` holds, as numpy arrays
    indexed like `ids` (sorted profile ids): their rows of the in-memory roster (experts.snapshot),
    narrowed to the slots' window, pools and beneficiaries, plus the two facts that depend on the
    slots' topics and beneficiaries (past missions on those topics, with those members), read here."""

    def __init__(
        self,
        profiles,
        *,
        topics: set[int],
        members: set[int],
        window: tuple[datetime.date, datetime.date] | None,
        pools: set[int] | None = None,
    ):
        roster = current_roster()
        if profiles.query.where:  # a scope: which of the roster's experts it holds
            visible = np.array(
                [row[0] for row in raw_rows(profiles.order_by().values_list("pk"))], dtype=np.int64
            )
            keep = np.isin(roster.ids, visible)
        else:
            keep = np.ones(roster.size, dtype=bool)
        rows = np.flatnonzero(keep)
        renumber = np.full(roster.size + 1, -1, dtype=np.int64)  # roster row -> row here
        renumber[rows] = np.arange(len(rows))
        self.ids = roster.ids[rows]
        self.size = size = len(rows)
        self.region, self.home, self.limit = roster.region[rows], roster.home[rows], roster.limit[rows]
        self.embedding, self.has_embedding = roster.embedding[rows], roster.has_embedding[rows]
        self.levels = roster.levels[rows]

        def held(child_rows: np.ndarray) -> np.ndarray:
            return keep[child_rows] if len(child_rows) else np.zeros(0, dtype=bool)

        # Topics: a bit per topic of interest (the slots' topics) and per parent of one.
        parent_of = dict(Topic.objects.values_list("pk", "parent_id"))
        self.topic_bits = {topic_id: bit for bit, topic_id in enumerate(sorted(topics)[:62])}
        self.parents = {topic_id: parent_of.get(topic_id) for topic_id in topics}
        self.parent_bits = {
            parent: bit for bit, parent in enumerate(sorted({p for p in self.parents.values() if p})[:62])
        }
        topic_bit = _lookup(parent_of, self.topic_bits)
        parent_bit = _lookup(
            parent_of,
            {
                topic: self.parent_bits[parent]
                for topic, parent in parent_of.items()
                if parent in self.parent_bits
            },
        )
        pairs = np.flatnonzero(held(roster.topic_row))
        pair_rows, pair_topics = renumber[roster.topic_row[pairs]], _clip(roster.topic_id[pairs], topic_bit)
        self.topic_mask = np.zeros(size, dtype=np.int64)
        self.parent_mask = np.zeros(size, dtype=np.int64)
        np.bitwise_or.at(self.topic_mask, pair_rows, topic_bit[pair_topics])
        np.bitwise_or.at(self.parent_mask, pair_rows, parent_bit[pair_topics])

        # Accreditations (with the slots' pools: those in them or of their kinds, and every
        # accreditation held, for the rules on other pools).
        chosen = held(roster.acc_row)
        if pools is not None:
            kinds = [roster.pool_names[pk][2] for pk in pools if pk in roster.pool_names]
            chosen &= (
                np.isin(roster.acc_pool, list(pools))
                | np.isin(roster.acc_kind, kinds)
                | (roster.acc_status == AccreditationStatus.ACCREDITED.value)
            )
        acc = np.flatnonzero(chosen)
        self.acc_row = renumber[roster.acc_row[acc]]
        self.acc_pool, self.acc_kind, self.acc_status = (
            roster.acc_pool[acc],
            roster.acc_kind[acc],
            roster.acc_status[acc],
        )
        # The same as booleans, so each slot's column compares numbers, not strings.
        self.acc_accredited = np.asarray(self.acc_status == AccreditationStatus.ACCREDITED.value, dtype=bool)
        self.acc_learning = np.isin(self.acc_status, [status.value for status in IN_PROGRESS])
        self.acc_kind_is = {kind: np.asarray(self.acc_kind == kind, dtype=bool) for kind in PoolKind.values}
        self.acc_since = list(roster.acc_since[acc])  # the year
        self.acc_expires = roster.acc_expires[acc]
        self.pool_names = roster.pool_names

        # Deployments that hold or held them (booking, workload, team, experience, continuity).
        deployments = np.flatnonzero(held(roster.dep_row))
        self.dep_row = renumber[roster.dep_row[deployments]]
        self.dep_slot, self.dep_activity = roster.dep_slot[deployments], roster.dep_activity[deployments]
        self.dep_start, self.dep_end = roster.dep_start[deployments], roster.dep_end[deployments]
        self.dep_year = roster.dep_year[deployments]
        self.dep_done = np.isin(roster.dep_status[deployments], [status.value for status in DONE])
        self.dep_topics = np.zeros(len(deployments), dtype=np.int64)
        self.dep_members: list[set[int]] = [set() for _ in range(len(deployments))]
        self.deployments_with: dict[int, list[int]] = {}  # member -> delivered deployments' indexes
        held_ids = roster.dep_id[deployments]
        done = Deployment.objects.filter(status__in=DONE)
        if self.topic_bits:
            found = raw_rows(
                done.filter(slot__activity__topics__in=list(self.topic_bits)).values_list(
                    "pk", "slot__activity__topics"
                )
            )
            where, present = _positions(held_ids, [row[0] for row in found])
            topic_ids = _clip(np.array([row[1] for row in found], dtype=np.int64), topic_bit)
            np.bitwise_or.at(self.dep_topics, where[present], topic_bit[topic_ids[present]])
        if members:
            found = raw_rows(
                done.filter(slot__activity__host_member__in=members).values_list(
                    "pk", "slot__activity__host_member_id"
                )
            ) + raw_rows(
                done.filter(slot__activity__beneficiary_members__in=members).values_list(
                    "pk", "slot__activity__beneficiary_members"
                )
            )
            where, present = _positions(held_ids, [row[0] for row in found])
            for index, is_held, (_pk, member_id) in zip(where.tolist(), present.tolist(), found, strict=True):
                if is_held and member_id not in self.dep_members[index]:
                    self.dep_members[index].add(member_id)
                    self.deployments_with.setdefault(member_id, []).append(index)

        # Evaluations: average of the four criteria, how many, and the recommendations that bind.
        self.rating, self.rated = roster.rating[rows], roster.rated[rows]
        self.not_again, self.less_demanding = roster.not_again[rows], roster.less_demanding[rows]

        # Unavailability within the window, declared conflicts with the beneficiaries.
        chosen = held(roster.off_row)
        if window:
            chosen &= (roster.off_start <= _ordinal(window[1])) & (roster.off_end >= _ordinal(window[0]))
        off = np.flatnonzero(chosen)
        self.off_row = renumber[roster.off_row[off]]
        self.off_start, self.off_end = roster.off_start[off], roster.off_end[off]
        declared = np.flatnonzero(held(roster.conflict_row) & np.isin(roster.conflict_member, list(members)))
        self.conflict_row = renumber[roster.conflict_row[declared]]
        self.conflict_member = roster.conflict_member[declared]

    def index(self, profile_id: int) -> int:
        return int(np.searchsorted(self.ids, profile_id))

    def indexes(self, profile_ids: list[int]) -> np.ndarray:
        return np.searchsorted(self.ids, np.asarray(profile_ids, dtype=np.int64)).astype(np.int64)


def _lookup(parent_of: dict[int, int | None], bits: dict[int, int]) -> np.ndarray:
    """A table from topic id to its bit (0 for a topic without one); the last cell stands for
    unknown ids."""
    table = np.zeros(max(parent_of, default=0) + 2, dtype=np.int64)
    for topic_id, bit in bits.items():
        if topic_id < len(table) - 1:
            table[topic_id] = 1 << bit
    return table


def _clip(topic_ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Topic ids as indexes into a `_lookup` table (ids it does not know point at its last cell)."""
    return np.where((topic_ids >= 0) & (topic_ids < len(table) - 1), topic_ids, len(table) - 1)


def _positions(sorted_ids: np.ndarray, ids) -> tuple[np.ndarray, np.ndarray]:
    """Where each id sits in `sorted_ids`, and whether it is there at all."""
    ids = np.asarray(ids, dtype=np.int64)
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return where, sorted_ids[where] == ids


def _pool_label(facts: Facts, pool_id: int) -> str:
    from core.i18n import localised

    name, name_fr, _kind = facts.pool_names.get(pool_id, ("?", "", ""))
    return localised(name, name_fr)


def _language_name(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code))


def _list(words: list[str]) -> str:
    return ", ".join(words)


def _date(value) -> str:
    if isinstance(value, float):
        if value != value:  # NaN: no date
            return ""
        value = datetime.date.fromordinal(int(value))
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


ACCREDITED_AS = {
    PoolKind.DIAGNOSTIC: lambda year: _("accredited diagnostic facilitator since %(year)s") % {"year": year},
    PoolKind.ADVISOR: lambda year: _("accredited development advisor since %(year)s") % {"year": year},
    PoolKind.TRAINER: lambda year: _("accredited trainer since %(year)s") % {"year": year},
}


class Column:
    """One slot over every expert in `facts`: the components, the rules, and their wording."""

    def __init__(
        self, facts: Facts, slot: Slot, vector: np.ndarray | None, beneficiaries: set[int], topics: list[int]
    ):
        self.facts, self.slot = facts, slot
        activity = slot.activity
        self.activity = activity
        size = facts.size
        self.on = activity.start_date or datetime.date.today()
        self.year = self.on.year
        self.start, self.end = (
            _ordinal(activity.start_date),
            _ordinal(activity.end_date or activity.start_date),
        )
        self.beneficiaries = beneficiaries
        self.topics = [topic for topic in topics if topic in facts.topic_bits]
        self.languages = (
            [slot.language] if slot.language else [c for c in activity.language_list if c in LANGUAGE_CODES]
        )
        role = slot.role
        components: dict[str, np.ndarray] = {}
        hard: dict[str, np.ndarray] = {}
        soft: dict[str, np.ndarray] = {}

        # Topics: exact matches, half for a topic in the same group.
        slot_mask = 0
        for topic in self.topics:
            slot_mask |= 1 << facts.topic_bits[topic]
        parent_bits = {
            facts.parent_bits[facts.parents[t]]
            for t in self.topics
            if facts.parents.get(t) in facts.parent_bits
        }
        if self.topics:
            exact = _popcount(facts.topic_mask & slot_mask).astype(np.float32)
            parent_mask = sum(1 << bit for bit in parent_bits)
            near = np.minimum(_popcount(facts.parent_mask & parent_mask), len(self.topics)).astype(np.float32)
            components["topics"] = np.minimum(
                1.0, (exact + 0.5 * np.maximum(0, near - exact)) / len(self.topics)
            )
        else:
            components["topics"] = np.zeros(size, dtype=np.float32)
        self.exact_topics = slot_mask

        # CV and expertise vs objectives and terms of reference.
        if vector is not None:
            cosine = facts.embedding @ vector
            self.cosine = np.where(facts.has_embedding, cosine, 0.0)
            components["cv"] = np.clip((self.cosine - CV_FLOOR) / CV_SPAN, 0.0, 1.0).astype(np.float32)
        else:
            self.cosine = np.zeros(size, dtype=np.float32)
            components["cv"] = np.zeros(size, dtype=np.float32)

        # Deployments: experience, continuity, booking, workload.
        other_slot = facts.dep_slot != slot.pk
        done = facts.dep_done & other_slot
        on_topic = done & ((facts.dep_topics & slot_mask) != 0) if slot_mask else np.zeros_like(done)
        self.topic_missions = np.bincount(facts.dep_row[on_topic], minlength=size)
        components["experience"] = np.minimum(1.0, self.topic_missions / 3.0).astype(np.float32)
        with_beneficiary = np.zeros(len(facts.dep_row), dtype=bool)
        for member_id in beneficiaries:
            with_beneficiary[facts.deployments_with.get(member_id, [])] = True
        with_beneficiary &= done
        self.beneficiary_missions = np.bincount(facts.dep_row[with_beneficiary], minlength=size)
        components["continuity"] = np.where(
            self.beneficiary_missions >= 3, 0.5, np.minimum(self.beneficiary_missions, 2) / 2.0
        ).astype(np.float32)
        this_year = other_slot & (facts.dep_year == self.year)
        self.year_count = np.bincount(facts.dep_row[this_year], minlength=size)
        components["workload"] = np.clip(1.0 - self.year_count / np.maximum(facts.limit, 1), 0.0, 1.0).astype(
            np.float32
        )
        hard["yearly_limit"] = self.year_count >= facts.limit
        same_activity = other_slot & (facts.dep_activity == activity.pk) | (facts.dep_slot == slot.pk)
        hard["already_on_team"] = np.bincount(facts.dep_row[same_activity], minlength=size) > 0
        if activity.start_date:
            overlapping = (
                (facts.dep_activity != activity.pk)
                & (facts.dep_start <= self.end)
                & (facts.dep_end >= self.start)
            )
            self.booked = overlapping
            hard["double_booking"] = np.bincount(facts.dep_row[overlapping], minlength=size) > 0
            off = (facts.off_start <= self.end) & (facts.off_end >= self.start)
            self.off = off
            hard["unavailable"] = np.bincount(facts.off_row[off], minlength=size) > 0
        else:
            self.booked = np.zeros(len(facts.dep_row), dtype=bool)
            self.off = np.zeros(len(facts.off_row), dtype=bool)

        # Conflicts of interest.
        if activity.kind in OWN_ADMINISTRATION_KINDS:
            hard["own_administration"] = np.isin(facts.home, list(beneficiaries))
        declared = np.isin(facts.conflict_member, list(beneficiaries))
        hard["declared_conflict"] = np.bincount(facts.conflict_row[declared], minlength=size) > 0

        # Languages.
        if self.languages:
            columns = [LANGUAGE_CODES.index(code) for code in self.languages]
            levels = facts.levels[:, columns]
            components["language"] = LEVEL_SCORE[levels].mean(axis=1)
            speaks_none = (levels == 0).all(axis=1)
            if role == SlotRole.TRAINEE:
                soft["language"] = speaks_none
            else:
                hard["language"] = speaks_none
            soft["language_working"] = ~speaks_none & (levels.max(axis=1) == 1)
            if len(columns) > 1:
                soft["language_partial"] = ~speaks_none & (levels == 0).any(axis=1)
        else:
            components["language"] = np.ones(size, dtype=np.float32)

        # Pools and accreditation.
        valid = facts.acc_accredited & ~(facts.acc_expires < self.start_or_today())
        pool = slot.pool
        kind = pool.kind if pool else None
        in_pool = self._rows(valid & (facts.acc_pool == (pool.pk if pool else -1)))
        same_kind = self._rows(valid & facts.acc_kind_is[kind]) if kind else self._rows(valid)
        any_pool = self._rows(valid)
        self.in_pool, self.same_kind, self.any_pool = in_pool, same_kind, any_pool
        if role == SlotRole.TRAINEE:
            learning = facts.acc_learning
            progress_in_pool = self._rows(learning & (facts.acc_pool == (pool.pk if pool else -1)))
            progress_kind = self._rows(learning & facts.acc_kind_is[kind]) if kind else self._rows(learning)
            self.learning = progress_kind | progress_in_pool
            components["pool"] = np.select(
                [progress_in_pool, progress_kind, any_pool], [1.0, 0.7, 0.2], 0.1
            ).astype(np.float32)
        else:
            self.learning = np.zeros(size, dtype=bool)
            fitting = in_pool if pool else any_pool
            components["pool"] = np.select([fitting, same_kind, any_pool], [1.0, 0.7, 0.3], 0.0).astype(
                np.float32
            )
            if role == SlotRole.LEAD:
                hard["lead_not_accredited"] = ~(same_kind if pool else any_pool)
                soft["other_pool"] = same_kind & ~fitting
            else:
                soft["other_pool"] = same_kind & ~fitting
                soft["not_in_fitting_pool"] = any_pool & ~same_kind
                soft["not_accredited"] = ~any_pool

        # Region, feedback.
        components["region"] = (
            (facts.region == activity.region_id).astype(np.float32)
            if activity.region_id
            else np.full(size, 0.5, dtype=np.float32)
        )
        components["feedback"] = np.where(np.isnan(facts.rating), 0.5, (facts.rating - 1.0) / 4.0).astype(
            np.float32
        )
        hard["not_again"] = facts.not_again.copy()
        if role == SlotRole.LEAD:
            soft["less_demanding"] = facts.less_demanding.copy()
        soft["continuity_fatigue"] = self.beneficiary_missions >= 3

        self.components = components
        self.hard = hard
        self.soft = {rule: cells for rule, cells in soft.items() if cells.any()}
        weights = WEIGHTS
        self.score = sum(np.float32(weights[name]) * values for name, values in components.items())
        self.penalty = sum(
            (np.float32(PENALTIES[rule]) * cells for rule, cells in self.soft.items()),
            np.zeros(size, dtype=np.float32),
        )
        allowed = np.ones(size, dtype=bool)
        for cells in hard.values():
            allowed &= ~cells
        self.allowed = allowed
        self.effective = (self.score - self.penalty).astype(np.float32)

    @cached_property
    def member_names(self) -> dict[int, str]:
        return _member_names(self.beneficiaries)

    def start_or_today(self) -> float:
        return float(self.on.toordinal())

    def _rows(self, accreditation_mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.facts.acc_row[accreditation_mask], minlength=self.facts.size) > 0

    # Words.

    def conflicts(self, i: int, activities: dict[int, str] | None = None) -> list[Conflict]:
        found = []
        for rule in HARD_RULES:
            if rule in self.hard and self.hard[rule][i]:
                found.append(Conflict(rule, True, self.message(rule, i, activities)))
        for rule, cells in self.soft.items():
            if cells[i]:
                found.append(Conflict(rule, False, self.message(rule, i, activities)))
        return found

    def message(self, rule: str, i: int, activities: dict[int, str] | None = None) -> str:
        facts = self.facts
        members = self.member_names
        if rule == "own_administration":
            return _("from %(member)s, the administration this %(kind)s serves") % {
                "member": members.get(int(facts.home[i]), "?"),
                "kind": self.activity.get_kind_display().lower(),
            }
        if rule == "declared_conflict":
            declared = facts.conflict_member[
                (facts.conflict_row == i) & np.isin(facts.conflict_member, list(self.beneficiaries))
            ]
            return _("declared a conflict of interest with %(member)s") % {
                "member": _list([members.get(int(m), "?") for m in declared])
            }
        if rule == "double_booking":
            where = np.flatnonzero(self.booked & (facts.dep_row == i))
            if len(where):
                k = where[0]
                activity_id = int(facts.dep_activity[k])
                title = (activities or {}).get(activity_id) or _activity_titles([activity_id]).get(
                    activity_id, "?"
                )
                return _("already deployed on %(activity)s (%(start)s – %(end)s)") % {
                    "activity": title,
                    "start": _date(facts.dep_start[k]),
                    "end": _date(facts.dep_end[k]),
                }
            return _("already deployed on these dates")
        if rule == "unavailable":
            where = np.flatnonzero(self.off & (facts.off_row == i))
            start, end = (facts.off_start[where[0]], facts.off_end[where[0]]) if len(where) else (None, None)
            return _("unavailable from %(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}
        if rule == "already_on_team":
            return _("already on this activity's team")
        if rule == "yearly_limit":
            return _("already %(count)s deployments in %(year)s (limit %(limit)s)") % {
                "count": int(self.year_count[i]),
                "year": self.year,
                "limit": int(facts.limit[i]),
            }
        if rule == "not_again":
            return _("an evaluation recommends not deploying them again")
        if rule == "lead_not_accredited":
            if self.slot.pool:
                return _("not accredited in %(pool)s (a lead must be)") % {"pool": self.slot.pool.label}
            return _("not accredited in any pool (a lead must be)")
        if rule == "language":
            return _("does not speak %(languages)s") % {
                "languages": _list([_language_name(code) for code in self.languages])
            }
        if rule == "language_working":
            return _("%(language)s at working level only") % {"language": _list(self._spoken(i, levels=(1,)))}
        if rule == "language_partial":
            missing = [c for c in self.languages if facts.levels[i, LANGUAGE_CODES.index(c)] == 0]
            return _("does not speak %(languages)s, one of the activity's languages") % {
                "languages": _list([_language_name(code) for code in missing])
            }
        if rule == "other_pool":
            return _("accredited in %(pool)s, not in %(slot_pool)s") % {
                "pool": _list(self._accredited_pools(i)),
                "slot_pool": self.slot.pool.label if self.slot.pool else "",
            }
        if rule == "not_in_fitting_pool":
            return _("accredited only in %(pool)s") % {"pool": _list(self._accredited_pools(i))}
        if rule == "not_accredited":
            expired = self._expired(i)
            if expired:
                return _("accreditation expired on %(date)s") % {"date": _date(expired)}
            return _("not accredited in any pool")
        if rule == "continuity_fatigue":
            return ngettext(
                "already %(count)s mission with this beneficiary",
                "already %(count)s missions with this beneficiary",
                int(self.beneficiary_missions[i]),
            ) % {"count": int(self.beneficiary_missions[i])}
        if rule == "less_demanding":
            return _("an evaluation recommends less demanding tasks")
        return rule

    def _spoken(self, i: int, levels=(1, 2, 3)) -> list[str]:
        return [
            _language_name(code)
            for code in self.languages
            if self.facts.levels[i, LANGUAGE_CODES.index(code)] in levels
        ]

    def _accredited_pools(self, i: int) -> list[str]:
        facts = self.facts
        valid = (
            (facts.acc_row == i)
            & (facts.acc_status == AccreditationStatus.ACCREDITED)
            & ~(facts.acc_expires < self.start_or_today())
        )
        return [_pool_label(facts, int(pool)) for pool in facts.acc_pool[valid]]

    def _expired(self, i: int):
        facts = self.facts
        mask = (
            (facts.acc_row == i)
            & (facts.acc_status == AccreditationStatus.ACCREDITED)
            & (facts.acc_expires < self.start_or_today())
        )
        return float(facts.acc_expires[mask].max()) if mask.any() else None

    def reasons(self, i: int, topic_labels: dict[int, str]) -> list[str]:
        """The reasons in words, in the order a curator reads them."""
        facts, slot = self.facts, self.slot
        words = []
        # Pool and accreditation.
        if slot.role == SlotRole.TRAINEE and self.learning[i]:
            mask = (facts.acc_row == i) & np.isin(facts.acc_status, IN_PROGRESS)
            k = np.flatnonzero(mask)[0]
            words.append(
                _("in accreditation for %(pool)s (%(status)s)")
                % {
                    "pool": _pool_label(facts, int(facts.acc_pool[k])),
                    "status": str(AccreditationStatus(facts.acc_status[k]).label).lower(),
                }
            )
        elif self.any_pool[i]:
            valid = (
                (facts.acc_row == i)
                & (facts.acc_status == AccreditationStatus.ACCREDITED)
                & ~(facts.acc_expires < self.start_or_today())
            )
            indexes = np.flatnonzero(valid)
            preferred = (
                [k for k in indexes if slot.pool and facts.acc_pool[k] == slot.pool.pk]
                or [k for k in indexes if slot.pool and facts.acc_kind[k] == slot.pool.kind]
                or list(indexes)
            )
            k = preferred[0]
            since = facts.acc_since[k]
            kind = facts.acc_kind[k]
            if slot.pool and facts.acc_pool[k] != slot.pool.pk:
                words.append(
                    _("accredited in %(pool)s") % {"pool": _pool_label(facts, int(facts.acc_pool[k]))}
                )
            elif since and kind in ACCREDITED_AS:
                words.append(ACCREDITED_AS[kind](since))
            else:
                words.append(
                    _("accredited in %(pool)s") % {"pool": _pool_label(facts, int(facts.acc_pool[k]))}
                )
        # Languages.
        if self.languages:
            for code in self.languages:
                level = int(facts.levels[i, LANGUAGE_CODES.index(code)])
                if level >= 2:
                    if slot.language:
                        words.append(
                            _("speaks %(language)s (the mission's language)")
                            % {"language": _language_name(code)}
                        )
                    else:
                        words.append(_("speaks %(language)s") % {"language": _language_name(code)})
                elif level == 1:
                    words.append(
                        _("works in %(language)s (working level)") % {"language": _language_name(code)}
                    )
        # Experience, topics, CV.
        missions = int(self.topic_missions[i])
        labels = [
            topic_labels[t]
            for t in self.topics
            if (int(facts.topic_mask[i]) >> facts.topic_bits[t]) & 1 and t in topic_labels
        ]
        if missions:
            on = _list([topic_labels[t] for t in self.topics if t in topic_labels][:2])
            words.append(
                ngettext(
                    "%(count)s past mission on %(topics)s", "%(count)s past missions on %(topics)s", missions
                )
                % {"count": missions, "topics": on}
            )
        if labels:
            words.append(_("expertise in %(topics)s") % {"topics": _list(labels)})
        cv = float(self.components["cv"][i])
        if cv >= 0.6:
            words.append(_("CV close to the terms of reference"))
        elif cv >= 0.3:
            words.append(_("CV partly matches the terms of reference"))
        # Region, feedback, continuity, workload.
        if self.activity.region_id and facts.region[i] == self.activity.region_id:
            words.append(_("from the region"))
        if facts.rated[i]:
            words.append(
                ngettext(
                    "rated %(rating)s/5 (%(count)s evaluation)",
                    "rated %(rating)s/5 (%(count)s evaluations)",
                    int(facts.rated[i]),
                )
                % {
                    "rating": formats.number_format(round(float(facts.rating[i]), 1), 1),
                    "count": int(facts.rated[i]),
                }
            )
        with_beneficiary = int(self.beneficiary_missions[i])
        if 0 < with_beneficiary < 3:
            words.append(
                ngettext(
                    "%(count)s past mission with this beneficiary",
                    "%(count)s past missions with this beneficiary",
                    with_beneficiary,
                )
                % {"count": with_beneficiary}
            )
        count = int(self.year_count[i])
        if count:
            words.append(
                ngettext("%(count)s mission this year", "%(count)s missions this year", count)
                % {"count": count}
            )
        else:
            words.append(_("no mission this year yet"))
        return words

    def breakdown(self, i: int) -> dict[str, float]:
        return {name: round(float(WEIGHTS[name] * values[i]), 4) for name, values in self.components.items()}


def _popcount(values: np.ndarray) -> np.ndarray:
    return np.bitwise_count(values.astype(np.uint64)).astype(np.int64)


def _member_names(ids) -> dict[int, str]:
    from network.models import Member

    return dict(Member.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _activity_titles(ids) -> dict[int, str]:
    return dict(Activity.objects.filter(pk__in=list(ids)).values_list("pk", "title"))


def _topic_labels(ids) -> dict[int, str]:
    from core.i18n import localised

    return {
        pk: localised(en, fr)
        for pk, en, fr in Topic.objects.filter(pk__in=list(ids)).values_list("pk", "label_en", "label_fr")
    }


def _slot_context(slots: list[Slot]) -> tuple[dict[int, set[int]], dict[int, list[int]]]:
    """Per activity: the beneficiaries (host and beneficiary members) and the topics."""
    activity_ids = {slot.activity_id for slot in slots}
    beneficiaries = {slot.activity_id: {slot.activity.host_member_id} - {None} for slot in slots}
    for activity_id, member_id in Activity.beneficiary_members.through.objects.filter(
        activity_id__in=activity_ids
    ).values_list("activity_id", "member_id"):
        beneficiaries[activity_id].add(member_id)
    topics: dict[int, list[int]] = {activity_id: [] for activity_id in activity_ids}
    for activity_id, topic_id in Activity.topics.through.objects.filter(
        activity_id__in=activity_ids
    ).values_list("activity_id", "topic_id"):
        topics[activity_id].append(topic_id)
    return beneficiaries, topics


def _window(slots: list[Slot]):
    dates = [d for slot in slots for d in (slot.activity.start_date, slot.activity.end_date) if d]
    return (min(dates), max(dates)) if dates else None


def _facts_for(profiles, slots: list[Slot]) -> tuple[Facts, dict, dict]:
    beneficiaries, topics = _slot_context(slots)
    members = set().union(*beneficiaries.values()) if beneficiaries else set()
    topic_ids = set().union(*map(set, topics.values())) if topics else set()
    pools = {slot.pool_id for slot in slots if slot.pool_id}
    facts = Facts(profiles, topics=topic_ids, members=members, window=_window(slots), pools=pools)
    return facts, beneficiaries, topics


def _column(facts: Facts, slot: Slot, beneficiaries, topics, vector=None) -> Column:
    if vector is None:
        vector = _slot_vector(slot_text(slot))
    return Column(facts, slot, vector, beneficiaries[slot.activity_id], topics[slot.activity_id])


def _with_activity(slot: Slot) -> Slot:
    if not hasattr(slot, "_prefetched_activity"):
        slot = Slot.objects.select_related("activity", "pool").get(pk=slot.pk)
        slot._prefetched_activity = True
    return slot


def conflicts_for(profile: ExpertProfile, slot: Slot) -> list[Conflict]:
    """The rules that stand between this expert and this slot: hard ones first, each with its cause."""
    slot = _with_activity(slot)
    profiles = ExpertProfile.objects.filter(pk=profile.pk)
    facts, beneficiaries, topics = _facts_for(profiles, [slot])
    if not facts.size:
        return []
    column = Column(facts, slot, None, beneficiaries[slot.activity_id], topics[slot.activity_id])
    return column.conflicts(0)


def shortlist(user, slot: Slot, *, limit: int = 10, excluded_limit: int = 25) -> Shortlist:
    """The best `limit` experts the user may see for this slot, with their reasons; the excluded
    ones (best first, `excluded_limit` at most) with the rules that exclude them."""
    slot = _with_activity(slot)
    profiles = ExpertProfile.objects.restrict(user, Action.VIEW)
    facts, beneficiaries, topics = _facts_for(profiles, [slot])
    if not facts.size:
        return Shortlist([], [], {}, 0)
    column = _column(facts, slot, beneficiaries, topics)
    allowed = np.flatnonzero(column.allowed)
    best = allowed[np.argsort(-column.effective[allowed], kind="stable")[:limit]]
    blocked = np.flatnonzero(~column.allowed)
    shown_blocked = blocked[np.argsort(-column.score[blocked], kind="stable")[:excluded_limit]]
    counts = {rule: int(cells.sum()) for rule, cells in column.hard.items() if cells.any()}
    wanted = [int(facts.ids[i]) for i in (*best, *shown_blocked)]
    loaded = ExpertProfile.objects.select_related("person", "home_member", "region").in_bulk(wanted)
    labels = _topic_labels(column.topics)
    booked_activities = _activity_titles(set(facts.dep_activity[column.booked].tolist()))
    candidates = [
        Candidate(
            profile=loaded[int(facts.ids[i])],
            score=round(float(column.effective[i]) * 100, 1),
            reasons=column.reasons(int(i), labels),
            components=column.breakdown(int(i)),
            warnings=[c for c in column.conflicts(int(i), booked_activities) if not c.hard],
        )
        for i in best
    ]
    excluded = [
        Excluded(
            profile=loaded[int(facts.ids[i])],
            conflicts=column.conflicts(int(i), booked_activities),
        )
        for i in shown_blocked
    ]
    return Shortlist(candidates, excluded, counts, facts.size)


def plan_year(*, year: int, region=None, progress=None, user=None, time_limit: float = 8.0) -> Plan:
    """Staff the year's planned missions in one go: every open slot of the activities that start in
    `year` (in `region` if given) that are still planned, over every expert (those `user` may see, if
    given). Maximises the total score with HiGHS under the hard rules, the yearly limits and no
    double booking between the plan's own slots; the greedy baseline's score is computed beside it."""
    import time as clock

    started = clock.perf_counter()
    note = getattr(progress, "note", None) or (lambda message: None)
    slots = list(
        Slot.objects.filter(activity__start_date__year=year, activity__status__in=PLANNED_STATUSES)
        .exclude(deployments__status__in=ACTIVE_DEPLOYMENT)
        .select_related("activity", "pool")
        .order_by("activity__start_date", "activity_id", "pk")
        .distinct()
    )
    if region is not None:
        region_id = getattr(region, "pk", region)
        slots = [slot for slot in slots if slot.activity.region_id == region_id]
    if progress is not None and hasattr(progress, "set_total"):
        progress.set_total(len(slots))
    profiles = (
        ExpertProfile.objects.restrict(user, Action.VIEW) if user is not None else ExpertProfile.objects.all()
    )
    note(_("Loading the experts"))
    timings: dict[str, float] = {}
    mark = clock.perf_counter()
    facts, beneficiaries, topics = _facts_for(profiles, slots)
    rows, columns = facts.size, len(slots)
    if not rows or not columns:
        return Plan(
            {slot.pk: [None, None, None] for slot in slots}, 0.0, 0.0, clock.perf_counter() - started, "empty"
        )
    note(_("Scoring %(count)s slots") % {"count": columns})
    timings["load"] = round(clock.perf_counter() - mark, 3)
    mark = clock.perf_counter()
    vectors = embed_texts([slot_text(slot) for slot in slots])
    timings["embed"] = round(clock.perf_counter() - mark, 3)
    mark = clock.perf_counter()
    component_names = list(WEIGHTS)
    components = {name: np.zeros((rows, columns), dtype=np.float32) for name in component_names}
    constraints = ConstraintMatrix((rows, columns))
    hard = {rule: np.zeros((rows, columns), dtype=bool) for rule in HARD_RULES}
    soft: dict[str, np.ndarray] = {}
    built: list[Column] = []
    for j, slot in enumerate(slots):
        column = Column(facts, slot, vectors[j], beneficiaries[slot.activity_id], topics[slot.activity_id])
        for name in component_names:
            components[name][:, j] = column.components[name]
        for rule, cells in column.hard.items():
            hard[rule][:, j] = cells
        for rule, cells in column.soft.items():
            if rule not in soft:
                soft[rule] = np.zeros((rows, columns), dtype=np.float32)
            soft[rule][:, j] = cells * PENALTIES[rule]
        built.append(column)
    constraints.hard = {rule: cells for rule, cells in hard.items() if cells.any()}
    constraints.soft = soft
    constraints.describe = lambda rule, i, j: built[j].message(rule, i)
    labels = _topic_labels(set().union(*map(set, topics.values())))
    scores = ScoreMatrix(
        facts.ids,
        np.array([slot.pk for slot in slots], dtype=np.int64),
        WEIGHTS,
        components,
        reasons=lambda i, j: built[j].reasons(i, labels),
    )
    used = np.bincount(facts.dep_row[facts.dep_year == year], minlength=rows)
    capacity = np.maximum(facts.limit - used, 0)
    starts = [_ordinal(slot.activity.start_date) for slot in slots]
    ends = [_ordinal(slot.activity.end_date or slot.activity.start_date) for slot in slots]
    exclusive = overlap_groups(starts, ends)
    by_activity: dict[int, list[int]] = {}
    for j, slot in enumerate(slots):
        by_activity.setdefault(slot.activity_id, []).append(j)
    exclusive += [np.array(group) for group in by_activity.values() if len(group) > 1]
    problem = AssignmentProblem(scores, constraints, capacity, np.ones(columns, dtype=np.int64), exclusive)
    timings["score"] = round(clock.perf_counter() - mark, 3)
    note(_("Solving"))
    mark = clock.perf_counter()
    solution, baseline = solve(problem, time_limit=time_limit)
    timings["solve"] = round(clock.perf_counter() - mark, 3)
    timings["greedy"] = baseline.seconds
    assignments: dict[int, list] = {}
    details: dict[int, list[dict]] = {}
    effective = problem.effective()
    index_of = {int(pk): i for i, pk in enumerate(facts.ids)}
    for j, slot in enumerate(slots):
        chosen = solution.assignments.get(slot.pk, [])
        alternates = solution.alternates.get(slot.pk, [])
        first = chosen[0] if chosen else None
        assignments[slot.pk] = [first, *(alternates + [None, None])[:2]]
        details[slot.pk] = [
            {
                "profile": pk,
                "score": round(float(effective[index_of[pk], j]) * 100, 1),
                "reasons": scores.explain(index_of[pk], j),
                "warnings": [v.message for v in constraints.explain(index_of[pk], j) if not v.hard],
            }
            for pk in [first, *alternates]
            if pk is not None
        ]
        if progress is not None and hasattr(progress, "item"):
            progress.item(str(slot), "assigned" if first else "unfilled")
    return Plan(
        assignments=assignments,
        score=round(solution.score * 100, 1),
        greedy_score=round(baseline.score * 100, 1),
        seconds=round(clock.perf_counter() - started, 2),
        timings=timings,
        status=solution.status,
        details=details,
    )
