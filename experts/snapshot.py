"""The roster in memory: every expert's slot-independent facts as numpy arrays, one copy per process,
reloaded when `RosterGeneration` moves (as knowledge.vectors does for the chunks' embeddings).

A shortlist over 5,000 experts used to spend most of its time reading the same rows again
(profiles, languages, accreditations, embeddings, evaluations, unavailability, conflicts,
deployments); now it reads a stamp, the slot's context and the few facts that depend on the slot's
topics and beneficiaries (experts.matching.Facts).

Every save or delete of the models read here renews the stamp (signals, connected in
ExpertsConfig.ready); code that writes them in bulk (demo, evaluation loaders) calls
`roster_changed()` itself. The stamp is a clock reading, not a counter, so a rolled-back change can
never leave a later one with a stamp a process has already loaded.
"""

from __future__ import annotations

import datetime
import threading
import time

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save

from activities.models import LANGUAGES
from experts.models import (
    ACTIVE_DEPLOYMENT,
    Accreditation,
    AccreditationStatus,
    ConflictDeclaration,
    Deployment,
    Evaluation,
    ExpertLanguage,
    ExpertProfile,
    LanguageLevel,
    Pool,
    Recommendation,
    RosterGeneration,
    Unavailability,
)

WATCHED = (
    ExpertProfile,
    ExpertLanguage,
    Accreditation,
    Deployment,
    Evaluation,
    Unavailability,
    ConflictDeclaration,
    Pool,
)
LEVEL_RANK = {LanguageLevel.WORKING: 1, LanguageLevel.FLUENT: 2, LanguageLevel.NATIVE: 3}
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
LANGUAGE_CODES = [code for code, _label in LANGUAGES]
IN_PROGRESS = [
    AccreditationStatus.NOMINATED,
    AccreditationStatus.PRESCREENED,
    AccreditationStatus.TRAINED,
    AccreditationStatus.SUPERVISED,
]


def current_generation() -> int:
    return RosterGeneration.objects.values_list("generation", flat=True).first() or 0


def roster_changed(**_signal) -> None:
    """Mark the roster as changed, for every process."""
    stamp = time.time_ns()
    if not RosterGeneration.objects.update(generation=stamp):
        RosterGeneration.objects.create(generation=stamp)


def connect_signals() -> None:
    for model in WATCHED:
        post_save.connect(roster_changed, sender=model, dispatch_uid=f"roster-save-{model.__name__}")
        post_delete.connect(roster_changed, sender=model, dispatch_uid=f"roster-delete-{model.__name__}")
    m2m_changed.connect(roster_changed, sender=ExpertProfile.topics.through, dispatch_uid="roster-topics")


def raw_rows(queryset) -> list[tuple]:
    """A values_list queryset's rows without Django's per-value converters (dates stay as the
    database gives them; `ordinals` reads them all at once)."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connections

    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # an IN () of nothing
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ordinals(values) -> np.ndarray:
    """Dates (date objects or ISO strings, None allowed) as proleptic ordinals, NaN for none."""
    days = np.array([value if value else None for value in values], dtype="datetime64[D]")
    result = days.astype("int64").astype(np.float64) + EPOCH_ORDINAL
    result[np.isnat(days)] = np.nan
    return result


def _ints(values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


class Roster:
    """Every profile's facts, rows sorted by profile id; child facts (languages, accreditations,
    deployments...) as parallel arrays whose `*_row` is the profile's row."""

    def __init__(self):

        from activities.models import LANGUAGES
        from knowledge.embeddings import DIMENSIONS

        LANGUAGE_CODES = [code for code, _label in LANGUAGES]
        rows = raw_rows(
            ExpertProfile.objects.order_by("pk").values_list(
                "pk", "region_id", "home_member_id", "max_deployments_per_year", "embedding"
            )
        )
        self.ids = _ints([row[0] for row in rows])
        self.size = size = len(rows)
        self.region = _ints([row[1] or 0 for row in rows])
        self.home = _ints([row[2] or 0 for row in rows])
        default = settings.EXPERTS_MAX_DEPLOYMENTS_PER_YEAR
        self.limit = _ints([row[3] if row[3] is not None else default for row in rows])
        self.embedding = np.zeros((size, DIMENSIONS), dtype=np.float32)
        self.has_embedding = np.zeros(size, dtype=bool)
        for index, row in enumerate(rows):
            data = row[4]
            if data and len(data) == DIMENSIONS * 4:
                self.embedding[index] = np.frombuffer(bytes(data), dtype=np.float32)
                self.has_embedding[index] = True

        # Languages: levels 0 (none) to 3 (native), one column per language code.
        self.levels = np.zeros((size, len(LANGUAGE_CODES)), dtype=np.int8)
        spoken = [
            row
            for row in raw_rows(ExpertLanguage.objects.values_list("profile_id", "language", "level"))
            if row[1] in LANGUAGE_CODES
        ]
        if spoken:
            self.levels[
                self.rows_of([row[0] for row in spoken]), [LANGUAGE_CODES.index(row[1]) for row in spoken]
            ] = [LEVEL_RANK.get(row[2], 0) for row in spoken]

        # Topics: (row, topic) pairs.
        pairs = raw_rows(ExpertProfile.topics.through.objects.values_list("expertprofile_id", "topic_id"))
        self.topic_row = self.rows_of([row[0] for row in pairs])
        self.topic_id = _ints([row[1] for row in pairs])

        # Accreditations that count (accredited or on the way).
        acc = raw_rows(
            Accreditation.objects.filter(
                status__in=[AccreditationStatus.ACCREDITED, *IN_PROGRESS]
            ).values_list("profile_id", "pool_id", "pool__kind", "status", "accredited_on", "expires_on")
        )
        self.acc_row = self.rows_of([row[0] for row in acc])
        self.acc_pool = _ints([row[1] for row in acc])
        self.acc_kind = np.array([row[2] for row in acc], dtype=object)
        self.acc_status = np.array([row[3] for row in acc], dtype=object)
        self.acc_since = np.array([str(row[4])[:4] if row[4] else "" for row in acc], dtype=object)
        self.acc_expires = ordinals([row[5] for row in acc])
        self.pool_names = {
            pk: (name, name_fr, kind)
            for pk, name, name_fr, kind in Pool.objects.values_list("pk", "name", "name_fr", "kind")
        }

        # Deployments that hold or held the expert, sorted by id.
        deployments = raw_rows(
            Deployment.objects.filter(status__in=ACTIVE_DEPLOYMENT)
            .order_by("pk")
            .values_list(
                "pk", "profile_id", "slot_id", "slot__activity_id", "start_date", "end_date", "status"
            )
        )
        self.dep_id = _ints([row[0] for row in deployments])
        self.dep_row = self.rows_of([row[1] for row in deployments])
        self.dep_slot = _ints([row[2] for row in deployments])
        self.dep_activity = _ints([row[3] for row in deployments])
        self.dep_start = ordinals([row[4] for row in deployments])
        self.dep_end = ordinals([row[5] or row[4] for row in deployments])
        self.dep_year = _ints([int(str(row[4])[:4]) if row[4] else 0 for row in deployments])
        self.dep_status = np.array([row[6] for row in deployments], dtype=object)

        # Evaluations: average of the four criteria, how many, and the recommendations that bind.
        self.rating = np.full(size, np.nan, dtype=np.float32)
        self.rated = np.zeros(size, dtype=np.int64)
        self.not_again = np.zeros(size, dtype=bool)
        self.less_demanding = np.zeros(size, dtype=bool)
        rated = raw_rows(
            Evaluation.objects.values("deployment__profile_id")
            .annotate(
                average=Avg((F("technical") + F("communication") + F("preparation") + F("fit")) / 4.0),
                count=Count("pk"),
                not_again=Coalesce(Sum(1, filter=Q(recommendation=Recommendation.NOT_AGAIN)), 0),
                less=Coalesce(Sum(1, filter=Q(recommendation=Recommendation.LESS_DEMANDING)), 0),
            )
            .values_list("deployment__profile_id", "average", "count", "not_again", "less")
        )
        if rated:
            indexes = self.rows_of([row[0] for row in rated])
            self.rating[indexes] = [row[1] for row in rated]
            self.rated[indexes] = [row[2] for row in rated]
            self.not_again[indexes] = [bool(row[3]) for row in rated]
            self.less_demanding[indexes] = [bool(row[4]) for row in rated]

        off = raw_rows(Unavailability.objects.values_list("profile_id", "start_date", "end_date"))
        self.off_row = self.rows_of([row[0] for row in off])
        self.off_start = ordinals([row[1] for row in off])
        self.off_end = ordinals([row[2] for row in off])
        declared = raw_rows(ConflictDeclaration.objects.values_list("profile_id", "member_id"))
        self.conflict_row = self.rows_of([row[0] for row in declared])
        self.conflict_member = _ints([row[1] for row in declared])

    def rows_of(self, profile_ids) -> np.ndarray:
        return np.searchsorted(self.ids, np.asarray(profile_ids, dtype=np.int64)).astype(np.int64)


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.key = None
        self.roster: Roster | None = None

    def get(self) -> Roster:
        # The database's name is part of the key: a test run and a bench run never share a roster.
        key = (connection.settings_dict.get("NAME"), current_generation())
        if key != self.key or self.roster is None:
            with self.lock:
                if key != self.key or self.roster is None:
                    self.roster, self.key = Roster(), key
        return self.roster

    def forget(self) -> None:
        self.key, self.roster = None, None


_cache = _Cache()
current_roster = _cache.get
forget_roster = _cache.forget
