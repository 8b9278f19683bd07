"""Demo meetings for `make run`: eight years (2019-2026) of the yearly Meeting of Heads of the RTCs
of each of the six regions (organised by the region's ROCB, its RTCs co-organising, hosted in turn
by one of them) and of the sessions of the Capacity Building Committee, with the next session
(2027) planned.

Each session has its invitations and, once held, the attendance; an agenda that starts with the
approval of the previous minutes and the matters arising; decisions in English and French (most
adopted and numbered, a few rejected or withdrawn, drafts on the latest sessions); the actions
they give to offices, followed by dated progress to done (linked to a delivered activity of the
region), dropped (with the reason), or still open; and minutes approved at the next session, the
last held session's still circulated for comments. The demo accounts take part: `rocb.ap`
organises the Asia/Pacific meetings and `rtc.japan` reports on the actions of RTC Japan.

Everything goes through `meetings.services`; a second run changes nothing.
"""

# ruff: noqa: E501 (tables of sentences)
from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Status
from conferences.reference import ordinal
from meetings import services
from meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    DecisionState,
    Invitation,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Minutes,
    ProgressUpdate,
)
from network.models import Committee, CommitteeRelation, Member, Office, Region

SEED = 2026
YEARS = range(2019, 2027)
COMMITTEE_CODE = "capacity-building-committee"
COMMITTEE_SERIES = "Capacity Building Committee"
REGIONAL_SERIES = "Meeting of Heads of the {region} RTCs"
COMMITTEE_FIRST = 10  # the 10th session in 2019
COMMITTEE_MEMBERS = ["AU", "BR", "CN", "FR", "JP", "KE", "MA", "NG", "NL", "SA", "ZA", "US", "AZ", "UY"]

# region: (number of the 2019 Meeting, month, day, languages)
REGIONS = {
    "A/P": (11, 10, 20, ["en"]),
    "AMS": (5, 9, 14, ["en", "es"]),
    "EUR": (7, 9, 7, ["en", "ru"]),
    "MENA": (9, 11, 2, ["ar", "en", "fr"]),
    "ESA": (10, 8, 24, ["en", "fr", "pt"]),
    "WCA": (8, 7, 13, ["fr", "en"]),
}

# fmt: off
# title, English decision, French decision, the action it gives ("": none); {next} and {year} are
# the next session's (in the last item), {year}-{end} the strategy's years (in the others)
REGIONAL_ITEMS = [
    ("E-learning: the regional CLiKC! courses and their uptake", "The Meeting encouraged the RTCs to add two regional e-learning courses a year to CLiKC! and to report completion rates to the ROCB.", "La Réunion a encouragé les CRF à ajouter chaque année deux cours régionaux d'apprentissage en ligne sur CLiKC! et à communiquer les taux d'achèvement au BRRC.", "Add two regional e-learning courses to CLiKC! and report their completion rates"),
    ("RTC accreditation and the performance self-assessment", "The Meeting adopted the revised self-assessment template for RTC accreditation and asked each RTC to complete it before the next Meeting.", "La Réunion a adopté le modèle révisé d'auto-évaluation pour l'accréditation des CRF et a demandé à chaque CRF de le remplir avant la prochaine Réunion.", "Complete the RTC accreditation self-assessment and send it to the ROCB"),
    ("PICARD: research cooperation with regional universities", "The Meeting agreed that each RTC would propose one research topic with a partner university for the next PICARD Conference.", "La Réunion est convenue que chaque CRF proposerait un thème de recherche avec une université partenaire pour la prochaine Conférence PICARD.", "Propose a research topic with a partner university for the PICARD call for papers"),
    ("Regional capacity building strategy {year}-{end}", "The Meeting endorsed the regional capacity building strategy {year}-{end} and its indicators.", "La Réunion a approuvé la stratégie régionale de renforcement des capacités {year}-{end} et ses indicateurs.", "Report the strategy's indicators for the year to the ROCB"),
    ("A regional pool of accredited trainers", "The Meeting asked the ROCB to keep a regional pool of accredited trainers and the RTCs to nominate two trainers each.", "La Réunion a demandé au BRRC de tenir un vivier régional de formateurs accrédités et aux CRF de désigner chacun deux formateurs.", "Nominate two trainers for the regional pool"),
    ("Gender equality and diversity in RTC programmes", "The Meeting agreed to report the share of women among participants in every regional course.", "La Réunion est convenue de communiquer la part des femmes parmi les participants à chaque cours régional.", ""),
]
NEXT_HOST = ("Venue and date of the {next} Meeting", "The Meeting accepted the offer of {host} to host the {next} Meeting in {year}.", "La Réunion a accepté l'offre du {host_fr} d'accueillir la {next_fr} Réunion en {year}.", "Circulate the dates and the logistics note of the {next} Meeting")
COMMITTEE_ITEMS = [
    ("Capacity building strategy and the directorate's work plan", "The Committee endorsed the directorate's work plan for {year}-{end}.", "Le Comité a approuvé le plan de travail de la direction pour {year}-{end}.", "Report progress on the work plan to the next session"),
    ("Mercator Programme: implementation support", "The Committee welcomed the Mercator Programme report and asked the ROCBs to map the support requested in their regions.", "Le Comité a accueilli favorablement le rapport sur le Programme Mercator et a demandé aux BRRC de recenser l'appui demandé dans leur région.", "Map the Mercator support requested in the region"),
    ("Reports of the regional structure (ROCBs and RTCs)", "The Committee took note of the reports of the ROCBs and RTCs and asked for a common reporting template.", "Le Comité a pris note des rapports des BRRC et des CRF et a demandé un modèle commun de rapport.", "Draft a common reporting template for the regional structure"),
    ("PICARD and research cooperation", "The Committee encouraged administrations to publish their research with the PICARD network.", "Le Comité a encouragé les administrations à publier leurs recherches avec le réseau PICARD.", ""),
    ("Performance measurement of capacity building", "The Committee asked the Secretariat to propose indicators of the impact of capacity building.", "Le Comité a demandé au Secrétariat de proposer des indicateurs de l'impact du renforcement des capacités.", "Propose impact indicators for capacity building"),
]
COMMITTEE_NEXT = ("Dates of the {next} session", "The Committee agreed to hold its {next} session in {year}.", "Le Comité est convenu de tenir sa {next_fr} session en {year}.", "")
REFUSED = [  # state, English, French
    ("rejected", "The Meeting decides to merge the RTCs' training calendars into a single calendar kept by the ROCB.", "La Réunion décide de fusionner les calendriers de formation des CRF en un calendrier unique tenu par le BRRC."),
    ("withdrawn", "The Meeting decides to hold its sessions every two years.", "La Réunion décide de tenir ses sessions tous les deux ans."),
    ("rejected", "The Meeting decides to charge a fee for RTC accreditation visits.", "La Réunion décide de facturer les visites d'accréditation des CRF."),
]
OVERDUE = "Share the completion figures of the RTC's e-learning courses with the ROCB"
JAPAN = ("The Meeting tasked RTC Japan with piloting a regional e-learning module on post-clearance audit, drawing on PICARD research.", "La Réunion a chargé le CRF Japon de piloter un module régional d'apprentissage en ligne sur le contrôle a posteriori, fondé sur les recherches PICARD.", "Pilot the regional e-learning module on post-clearance audit")
PROGRESS = {
    ActionStatus.IN_PROGRESS: ["Terms of reference agreed with the partners.", "First draft shared with the ROCB for comments.", "Work under way; half of the planned outputs delivered.", "Resources confirmed with the host administration."],
    ActionStatus.DONE: ["Completed and reported to the ROCB.", "Delivered; the report is on the network's knowledge base."],
    ActionStatus.DROPPED: ["Overtaken by the new regional strategy.", "No funding found; the Meeting agreed to drop it.", "Merged into a WCO-wide initiative."],
}
# how likely each status is for the actions of a session so many years ago
STATUS_WEIGHTS = {
    0: {ActionStatus.OPEN: 2, ActionStatus.IN_PROGRESS: 1},
    1: {ActionStatus.OPEN: 2, ActionStatus.IN_PROGRESS: 3, ActionStatus.DONE: 3, ActionStatus.DROPPED: 1},
    3: {ActionStatus.IN_PROGRESS: 1, ActionStatus.DONE: 6, ActionStatus.DROPPED: 2},
}
# fmt: on
DELIVERED = [Status.DELIVERED, Status.EVALUATED, Status.CLOSED]


def _fr(number: int) -> str:
    return "1re" if number == 1 else f"{number}e"


class _Builder:
    """Acts as the organisers (`rocb.ap` for the Asia/Pacific meetings, the Secretariat for the
    others); `rtc.japan` reports the progress of RTC Japan's actions and amends the A/P minutes."""

    def __init__(self, rng: random.Random):
        self.rng, self.today = rng, timezone.localdate()
        self.secretariat = User.objects.get(username="secretariat")
        self.users = {
            user.username: user for user in User.objects.filter(username__in=["rocb.ap", "rtc.japan"])
        }
        self.states = {state.code: state for state in DecisionState.objects.all()}
        self.activities: dict[int, list[tuple[int, datetime.date]]] = {}
        rows = Activity.objects.filter(status__in=DELIVERED, region__isnull=False, start_date__isnull=False)
        for pk, region, start in rows.order_by("pk").values_list("pk", "region", "start_date"):
            self.activities.setdefault(region, []).append((pk, start))

    def organiser(self, region: Region | None) -> User:
        return (
            self.users.get("rocb.ap", self.secretariat)
            if region and region.code == "A/P"
            else self.secretariat
        )

    def series(self, *, series, first, sessions, invite, items, next_item, owners):
        """`sessions`: each meeting's data, year and next host, in order; the first session gets its
        number, the next ones follow (`meeting_create`) and approve the minutes of the one before."""
        previous = None
        for index, session in enumerate(sessions):
            data = {**session["data"], "series": series, "number": first if index == 0 else None}
            user = self.organiser(data.get("region"))
            meeting = services.meeting_create(user=user, data=data)
            held = meeting.status == MeetingStatus.HELD
            for target in invite:
                invitation = services.invitation_add(user=user, meeting=meeting, **target)
                if held:
                    declined = self.rng.random() < 0.1
                    attendance = {
                        "status": "declined" if declined else "registered",
                        "attended": not declined,
                    }
                    attendance["delegates"] = 0 if declined else self.rng.randint(1, 3)
                    services.invitation_update(user=user, invitation=invitation, data=attendance)
            if previous is not None and held:
                services.minutes_approve(user=user, minutes=previous.minutes, at=meeting)
            following = sessions[index + 1] if index + 1 < len(sessions) else None
            last_held = held and (following is None or following["data"]["status"] != MeetingStatus.HELD)
            self.agenda(user, meeting, session, items, next_item, owners, last_held)
            if held:
                self.minutes(user, meeting, circulated_only=last_held)
            previous = meeting

    def agenda(self, user, meeting, session, items, next_item, owners, last_held):
        year, held, host = session["year"], meeting.status == MeetingStatus.HELD, session["next_host"]
        ap = bool(meeting.region_id and meeting.region.code == "A/P")
        japan = held and ap and year == YEARS[-1]
        count = self.rng.randint(3, 4) if meeting.items.exists() else self.rng.randint(4, 5)  # with next_item
        chosen = (
            [items[0], *self.rng.sample(items[1:], count - 2)] if japan else self.rng.sample(items, count - 1)
        )
        number = meeting.number + 1
        words = {"year": year, "end": year + 2, "next": ordinal(number), "next_fr": _fr(number)}
        next_words = {
            **words,
            "year": year + 1,
            "host": getattr(host, "name", ""),
            "host_fr": getattr(host, "name_fr", ""),
        }
        refused = held and (self.rng.random() < 0.3 or ap and year in (2021, 2023))
        for position, (title, text_en, text_fr, what) in enumerate([*chosen, next_item]):
            last = position == len(chosen)
            values = next_words if last else words
            summary = "Discussed; see the decisions." if held else ""
            item = services.item_save(
                user=user, meeting=meeting, data={"title": title.format(**values), "summary": summary}
            )
            state = "adopted" if held else "draft"
            if last_held and last:
                state = "proposed"  # the host's offer awaits its government's confirmation
            elif last_held and position == 0 and year == YEARS[-1]:
                state = "draft"  # to be adopted by written procedure
            decision = self.decide(user, item, text_en.format(**values), text_fr.format(**values), state)
            if state == "adopted" and what:
                given = [host] if last and host else self.rng.sample(owners, self.rng.choice([1, 1, 2]))
                self.act(user, item, decision, what.format(**values), given, year)
            special = None  # RTC Japan tasked at the last session; its action of the one before, overdue
            if position == 0 and japan:
                decision = self.decide(user, item, JAPAN[0], JAPAN[1], "adopted")
                special = (JAPAN[2], ActionStatus.IN_PROGRESS, datetime.date(year + 1, 6, 30))
            elif position == 0 and held and ap and year == YEARS[-2] and state == "adopted":
                special = (OVERDUE, ActionStatus.OPEN, datetime.date(year + 1, 3, 31))
            if special:
                rtc = [Office.objects.get(code="rtc-japan")]
                self.act(user, item, decision, special[0], rtc, year, *special[1:])
            if position == 0 and refused:
                state_code, refused_en, refused_fr = self.rng.choice(REFUSED)
                self.decide(user, item, refused_en, refused_fr, state_code)

    def decide(self, user, item, text_en, text_fr, state):
        decision = services.decision_add(user=user, item=item, data={"text_en": text_en, "text_fr": text_fr})
        path = {"draft": [], "withdrawn": ["withdrawn"], "proposed": ["proposed"]}.get(
            state, ["proposed", state]
        )
        for code in path:
            decision = services.decision_move(user=user, decision=decision, state=self.states[code])
        return decision

    def act(self, user, item, decision, what, owners, year, status=None, due=None):
        meeting = item.meeting
        due = due or meeting.ends_on + datetime.timedelta(days=self.rng.randint(120, 330))
        data = {"what": what, "owners": owners, "decision": decision, "due_on": due}
        action = services.action_add(user=user, item=item, data=data)
        if status is None:
            weights = STATUS_WEIGHTS[max(age for age in STATUS_WEIGHTS if age <= self.today.year - year)]
            status = self.rng.choices(list(weights), list(weights.values()))[0]
        japan = "rtc.japan" in self.users and any(owner.code == "rtc-japan" for owner in owners)
        reporter = self.users["rtc.japan"] if japan else user
        steps = [] if status == ActionStatus.OPEN else [ActionStatus.IN_PROGRESS] * self.rng.randint(1, 2)
        steps += [status] if status in (ActionStatus.DONE, ActionStatus.DROPPED) else []
        day = meeting.ends_on
        for step in steps:
            latest = max(day, self.today - datetime.timedelta(days=self.rng.randint(0, 20)))
            day = min(day + datetime.timedelta(days=self.rng.randint(30, 120)), latest)
            text = self.rng.choice(PROGRESS[step])
            reason = text if step == ActionStatus.DROPPED else ""
            services.action_progress(
                user=reporter, action=action, text=text, status=step, on=day, reason=reason
            )
        if status == ActionStatus.DONE:  # the evidence: an activity of the region delivered since
            candidates = [
                pk
                for pk, start in self.activities.get(owners[0].region_id, [])
                if meeting.ends_on < start <= day
            ]
            if candidates:
                activity = Activity.objects.get(pk=self.rng.choice(candidates))
                services.action_evidence(user=reporter, action=action, activity=activity)
        return action

    def minutes(self, user, meeting, *, circulated_only):
        lines = [
            f"{meeting.title}, {meeting.venue}, {meeting.starts_on:%d %B} - {meeting.ends_on:%d %B %Y}.",
            "",
        ]
        for item in meeting.items.prefetch_related("decisions__meeting"):
            lines.append(f"{item.position}. {item.title}")
            lines.extend(f"   {decision.reference}: {decision.text_en}" for decision in item.decisions.all())
        minutes = services.minutes_save(user=user, meeting=meeting, text="\n".join(lines))
        minutes = services.minutes_circulate(user=user, minutes=minutes)
        text = "Item 3: add that the participants thanked the host for its hospitality."
        ap = meeting.region_id and meeting.region.code == "A/P"
        author = self.users.get("rtc.japan", user) if ap else user  # a participant
        amendment = services.amendment_propose(user=author, minutes=minutes, text=text)
        if not circulated_only:
            services.amendment_decide(user=user, amendment=amendment, accept=True)


def _held(day: datetime.date, today: datetime.date) -> str:
    return MeetingStatus.HELD if day < today else MeetingStatus.PLANNED


def _regional_sessions(builder: _Builder, region: Region) -> tuple[list[dict], list[Office]]:
    first, month, day, languages = REGIONS[region.code]
    rocb = Office.objects.get(region=region, kind="rocb")
    rtcs = list(Office.objects.filter(region=region, kind="rtc").order_by("code"))
    hosts = builder.rng.sample(rtcs, len(rtcs))
    sessions = []
    for index, year in enumerate(YEARS):
        starts = datetime.date(year, month, day + builder.rng.randint(0, 6))
        ends = starts + datetime.timedelta(days=1 if year in (2020, 2021) else 2)
        host = rocb if year in (2020, 2021) else hosts[index % len(hosts)]  # online in the pandemic
        place = host.city if host.city and len(host.city) < 40 else host.country
        data = {
            "region": region, "title": f"{ordinal(first + index)} Meeting of Heads of the {region.code} RTCs",
            "starts_on": starts, "ends_on": ends, "host_office": host, "host_member": host.host_member,
            "mode": MeetingMode.VIRTUAL if host == rocb else MeetingMode.IN_PERSON,
            "venue": "Online" if host == rocb else f"{host.name}, {place}",
            "organisers": rtcs, "languages": languages, "status": _held(ends, builder.today),
        }  # fmt: skip
        sessions.append({"year": year, "data": data, "next_host": hosts[(index + 1) % len(hosts)]})
    return sessions, [rocb, *rtcs]


def _committee_sessions(builder: _Builder, committee: Committee, secretariat: Office | None) -> list[dict]:
    sessions = []
    for index, year in enumerate([*YEARS, YEARS[-1] + 1]):  # and the next session, planned
        starts = datetime.date(year, 5, 11 + builder.rng.randint(0, 4))
        online = year in (2020, 2021)
        ends = starts + datetime.timedelta(days=1 if online else 2)
        data = {
            "committee": committee, "title": f"{ordinal(COMMITTEE_FIRST + index)} Session of the {committee.name}",
            "starts_on": starts, "ends_on": ends, "host_office": secretariat,
            "mode": MeetingMode.VIRTUAL if online else MeetingMode.IN_PERSON,
            "venue": "Online" if online else "WCO headquarters, Brussels",
            "languages": ["en", "fr"], "status": _held(ends, builder.today),
        }  # fmt: skip
        sessions.append({"year": year, "data": data, "next_host": None})
    return sessions


def _committee() -> Committee | None:
    committees = Committee.objects.order_by("pk")
    return (
        committees.filter(code=COMMITTEE_CODE).first()
        or committees.filter(relation=CommitteeRelation.ADVISES).first()
    )


def _counts() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "invitations": Invitation.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "minutes": Minutes.objects.count(),
        "actions": ActionItem.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
    }


def demo_meetings_create(*, seed: int = SEED, progress=print) -> dict[str, int]:
    """Build the demo meetings once (needs `load_reference` and `demo_users`; `demo_data` gives the
    actions their evidence). The demo's offices are not mailed about their actions."""
    if not User.objects.filter(username="secretariat").exists() or not Region.objects.exists():
        raise RuntimeError(
            "The demo meetings need the network and the demo users: run `load_reference` and `demo_users` first."
        )
    if Meeting.objects.filter(series=REGIONAL_SERIES.format(region="A/P")).exists():
        return _counts()
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        builder = _Builder(random.Random(seed))
        for code in REGIONS:
            region = Region.objects.get(code=code)
            series = REGIONAL_SERIES.format(region=code)
            progress(f"{series}, {YEARS[0]}-{YEARS[-1]}")
            sessions, offices = _regional_sessions(builder, region)
            invite = [{"office": office} for office in offices]
            builder.series(
                series=series, first=REGIONS[code][0], sessions=sessions, invite=invite,
                items=REGIONAL_ITEMS, next_item=NEXT_HOST, owners=offices,
            )  # fmt: skip
        committee = _committee()
        if committee is not None:
            progress(f"Sessions of the {committee.name}, {YEARS[0]}-{YEARS[-1] + 1}")
            secretariat = Office.objects.filter(kind="secretariat").order_by("pk").first()
            members = Member.objects.filter(iso_alpha2__in=COMMITTEE_MEMBERS).order_by("iso_alpha2")
            owners = [
                office
                for office in [secretariat, *Office.objects.filter(kind="rocb").order_by("code")]
                if office
            ]
            builder.series(
                series=COMMITTEE_SERIES, first=COMMITTEE_FIRST,
                sessions=_committee_sessions(builder, committee, secretariat),
                invite=[{"member": member} for member in members],
                items=COMMITTEE_ITEMS, next_item=COMMITTEE_NEXT, owners=owners,
            )  # fmt: skip
    return _counts()
