"""The study-paper compiler: from a delivered workshop, a draft study paper for its editors, as an
editable Word document (python-docx) and a PDF (ReportLab), compiled by a job (insights.jobs).

The paper holds the workshop's background (objectives, dates, host, participants by administration
and gender), the results of its pre-workshop (needs) questionnaire as tables and charts drawn on the
server (matplotlib, Agg), its evaluation (learning gain, reaction, follow-up), the key passages of
its materials and of the Secretariat's technical-advice documents on its topics, chosen
extractively from the knowledge base's passages and cited, the research papers closest to it, and
sections marked for the editors' analysis and recommendations.

Every figure is read as the compiling organiser may read it (`restrict(user)`, and the surveys
results module, which withholds figures over fewer than 5 respondents of an anonymous wave). The
paper names no participant and no respondent: only counts, and free-text answers as given.

The editors' revised version goes back through the knowledge base's ingestion job: it becomes the
workshop's study paper (kind study_paper, linked to the activity), a new version of it on the next
upload, and an ROCB may recommend it to PICARD (conferences.services.recommendation_create).

The PDF is set in ReportLab's Helvetica, as the minutes and certificates are: its encoding covers
the accented letters of French.
"""

from __future__ import annotations

import io
import posixpath
import textwrap
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity, Attendance, Participation, ParticipationRole, Status
from core.permissions import Action, can, is_secretariat
from core.templatetags.cbhub import figure as grouped
from core.uploads import safe_filename

KIND = "insights.study_paper"  # the compile job's kind (insights.jobs)
DELIVERED = (Status.DELIVERED, Status.EVALUATED, Status.CLOSED)
STORAGE_FOLDER = "study-papers"
REVISED_EXTENSIONS = (".docx", ".pdf")
STEPS = 7  # background, questionnaire, evaluation, passages, research, Word, PDF
DRAFTS_KEPT = 3  # a user's latest drafts of a workshop kept on disk
PASSAGES_PER_TOPIC = 3
PASSAGES_PER_DOCUMENT = 2  # per topic, so one long document does not fill a topic alone
MAX_TOPICS = 8
MAX_DOCUMENTS = 60
MAX_CHUNKS = 4000
MIN_SIMILARITY = 0.2
QUOTE_CHARS = 700
PAPERS = 5
CHARTS_PER_WAVE = 20
TEXTS_QUOTED = 5
ADMINISTRATIONS_CHARTED = 15
ACCENT = "#0b4f8a"
GENDER_COLOURS = {"female": "#0b4f8a", "male": "#6aa5d8", "other": "#f2a541", "undisclosed": "#b8c2cc"}


# --- the paper as blocks, shared by the Word and PDF writers ---------------------------------------


@dataclass
class Text:
    text: str
    bullet: bool = False


@dataclass
class Subheading:
    text: str


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Chart:
    png: bytes
    caption: str
    width_in: float
    height_in: float


@dataclass
class Quote:
    text: str
    citation: str


@dataclass
class EditorsNote:
    """A part the editors write: marked in both documents (highlighted, boxed)."""

    text: str


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)
    editors: bool = False


@dataclass
class StudyPaper:
    activity: Activity
    title: str
    facts: list[str]
    sections: list[Section]
    figures: dict
    generated: str

    @property
    def tables(self) -> int:
        return sum(isinstance(block, Table) for section in self.sections for block in section.blocks)

    @property
    def charts(self) -> int:
        return sum(isinstance(block, Chart) for section in self.sections for block in section.blocks)


def editors_mark() -> str:
    return _("[For the editors]")


# --- rules ---------------------------------------------------------------------------------------


def _require_organiser(user, activity: Activity) -> None:
    if not (user.is_authenticated and can(user, Action.CHANGE, activity)):
        raise PermissionDenied(_("Only the workshop's organisers compile and upload its study paper."))


def _require_delivered(activity: Activity) -> None:
    if activity.status not in DELIVERED:
        raise ValidationError(
            _("A study paper is compiled once the workshop is delivered (it is %(status)s).")
            % {"status": activity.get_status_display().lower()}
        )


def study_paper_compile(*, user, activity: Activity, language: str = "en"):
    """Queue the compiling of a draft study paper of a delivered workshop; the job (insights.jobs)
    writes the Word and PDF files. A compile already waiting or running for this user and workshop
    is returned instead of a second one."""
    from jobs.models import JobStatus
    from jobs.services import job_enqueue

    _require_organiser(user, activity)
    _require_delivered(activity)
    pending = user_drafts(user, activity).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if pending is not None:
        return pending
    return job_enqueue(
        kind=KIND,
        payload={"activity": activity.pk, "language": (language or "en")[:8]},
        user=user,
        total=STEPS,
    )


def user_drafts(user, activity: Activity):
    """The user's compile jobs for this workshop, newest first (jobs are their creator's only)."""
    from jobs.models import Job

    return Job.objects.restrict(user).filter(kind=KIND, payload__activity=activity.pk).order_by("-created_at")


def draft_file(*, user, job, fmt: str) -> tuple[str, str]:
    """(stored name, download name) of a compiled draft the user may download; Http404-worthy
    problems raise ValidationError, a lost right to the workshop PermissionDenied."""
    result = job.result if isinstance(job.result, dict) else {}
    files = result.get("files") if isinstance(result.get("files"), dict) else {}
    stored = files.get(fmt) if fmt in ("docx", "pdf") else None
    if not isinstance(stored, str) or not stored.startswith(f"{STORAGE_FOLDER}/"):
        raise ValidationError(_("This draft has no such file."))
    activity_id = result.get("activity")
    activity = (
        Activity.objects.restrict(user).filter(pk=activity_id).first()
        if isinstance(activity_id, int)
        else None
    )
    if activity is None:
        raise ValidationError(_("This draft has no such file."))
    _require_organiser(user, activity)
    if not default_storage.exists(stored):
        raise ValidationError(_("This draft's files were replaced by later drafts; compile it again."))
    return stored, posixpath.basename(stored)


def study_papers(user, activity: Activity):
    """The workshop's study papers in the knowledge base that the user may see."""
    from knowledge.models import Document, DocumentKind

    return (
        Document.objects.restrict(user)
        .filter(activity=activity, kind=DocumentKind.STUDY_PAPER)
        .select_related("region")
        .order_by("-date", "-pk")
    )


def may_recommend(user, document) -> bool:
    """Whom conferences' "recommend a report to PICARD" page serves: an ROCB officer for a report of
    their region, or the Secretariat (the rules themselves are conferences.services')."""
    from conferences.services import RECOMMENDABLE_KINDS

    if not user.is_authenticated or document.kind not in RECOMMENDABLE_KINDS:
        return False
    return is_secretariat(user) or (user.role == "rocb_officer" and document.region_id == user.region_id)


def source_key(activity: Activity) -> str:
    """The key that makes each revised upload a new version of the workshop's one study paper."""
    return f"study-paper:activity:{activity.pk}"


def upload_visibilities() -> list[tuple[str, str]]:
    from knowledge.models import Visibility

    return [(value, label) for value, label in Visibility.choices if value in UPLOAD_VISIBILITIES]


UPLOAD_VISIBILITIES = ("network", "region", "public")


def study_paper_upload(*, user, activity: Activity, upload, visibility: str = "network"):
    """The editors' revised paper into the knowledge base, through its ingestion job (extracted,
    chunked, embedded and indexed like any document): a study paper linked to the workshop, or the
    next version of the one already there. Returns the ingestion job."""
    from jobs.services import job_enqueue
    from knowledge.extraction import check_upload
    from knowledge.jobs import INGEST
    from knowledge.models import Document, DocumentKind

    _require_organiser(user, activity)
    _require_delivered(activity)
    if upload is None:
        raise ValidationError(_("Choose the revised paper's file (DOCX or PDF)."))
    name = safe_filename(upload.name or "")
    if not name.lower().endswith(REVISED_EXTENSIONS):
        raise ValidationError(_("The revised paper must be a Word document (DOCX) or a PDF."))
    if visibility not in UPLOAD_VISIBILITIES:
        raise ValidationError(_("Choose who may see the study paper."))
    if visibility == "region" and activity.region_id is None:
        raise ValidationError(_("This workshop has no region: choose another audience."))
    check_upload(upload)  # size, and content that matches the extension, before anything is stored
    key = source_key(activity)
    existing = Document.objects.filter(source_key=key).first()
    if existing is not None:
        if not Document.objects.restrict(user, Action.CHANGE).filter(pk=existing.pk).exists():
            raise ValidationError(
                _(
                    "This workshop's study paper is already in the knowledge base and you may not "
                    "replace it: ask its uploader or the regional office."
                )
            )
        from knowledge.views import document_version_item

        item = document_version_item(existing, upload)
        item["metadata"].update(
            kind=DocumentKind.STUDY_PAPER, activity=str(activity.pk), visibility=visibility
        )
    else:
        stored = default_storage.save(f"uploads/{uuid.uuid4().hex}/{name}", upload)
        item = {
            "name": name,
            "storage_name": stored,
            "source_key": key,
            "metadata": {
                "title": (_("Study paper: %(activity)s") % {"activity": activity.title})[:300],
                "kind": DocumentKind.STUDY_PAPER,
                "visibility": visibility,
                "date": timezone.localdate().isoformat(),
                "authors": str(activity.lead_office)[:500],
                "region": activity.region.slug if activity.region_id else "",
                "office": activity.lead_office.code,
                "topics": ";".join(activity.topics.values_list("slug", flat=True)),
                "activity": str(activity.pk),
            },
        }
    return job_enqueue(kind=INGEST, payload={"items": [item]}, user=user, total=1)


def revised_uploads(user, activity: Activity, *, limit: int = 5) -> list:
    """The user's latest ingestion jobs of this workshop's revised paper."""
    from jobs.models import Job
    from knowledge.jobs import INGEST

    def of_this_paper(item) -> bool:
        metadata = item.get("metadata") if isinstance(item, dict) else None
        return isinstance(metadata, dict) and (
            metadata.get("kind") == "study_paper" and str(metadata.get("activity", "")) == str(activity.pk)
        )

    jobs = Job.objects.restrict(user).filter(kind=INGEST).order_by("-created_at")[:50]
    found = []
    for job in jobs:
        items = job.payload.get("items") if isinstance(job.payload, dict) else None
        if isinstance(items, list) and any(of_this_paper(item) for item in items):
            found.append(job)
    return found[:limit]


# --- the job's work ------------------------------------------------------------------------------


def study_paper_build(*, user, activity: Activity, job, progress) -> dict:
    """Collect, write and store the draft; reports each step to `progress`. Returns job.result."""
    _require_organiser(user, activity)
    _require_delivered(activity)
    progress.set_total(STEPS)
    paper = study_paper_collect(user=user, activity=activity, progress=progress)
    docx_bytes = study_paper_docx(paper)
    stem = f"study-paper-{activity.pk}-{slugify(activity.title)[:40] or 'workshop'}"
    folder = f"{STORAGE_FOLDER}/{activity.pk}/{job.pk}"
    earlier = job.result.get("files") if isinstance(job.result, dict) else None
    _discard(earlier.values() if isinstance(earlier, dict) else [])  # a worker died after writing them
    docx_name = default_storage.save(f"{folder}/{stem}.docx", ContentFile(docx_bytes))
    progress.item(
        _("Word document (DOCX)"),
        "created",
        _("%(tables)d tables, %(charts)d charts") % {"tables": paper.tables, "charts": paper.charts},
        url=reverse("insights:study_paper_docx", args=[job.pk]),
    )
    pdf_name = default_storage.save(f"{folder}/{stem}.pdf", ContentFile(study_paper_pdf(paper)))
    progress.item(_("PDF"), "created", "", url=reverse("insights:study_paper_pdf", args=[job.pk]))
    result = {
        "activity": activity.pk,
        "title": paper.title,
        "files": {"docx": docx_name, "pdf": pdf_name},
        "figures": paper.figures,
    }
    job.result = result
    job.save(update_fields=["result", "updated_at"])
    _forget_old_drafts(user, activity, keep=job.pk)
    return result


def _discard(names) -> None:
    for name in names:
        if isinstance(name, str) and name.startswith(f"{STORAGE_FOLDER}/"):
            try:
                default_storage.delete(name)
            except OSError:
                pass


def _forget_old_drafts(user, activity: Activity, *, keep: int) -> None:
    """Only the user's DRAFTS_KEPT latest drafts of a workshop stay on disk."""
    for job in user_drafts(user, activity).exclude(pk=keep)[DRAFTS_KEPT - 1 :]:
        files = job.result.get("files") if isinstance(job.result, dict) else None
        if files:
            _discard(files.values())
            job.result = {**job.result, "files": {}}
            job.save(update_fields=["result", "updated_at"])


def study_paper_collect(*, user, activity: Activity, progress=None) -> StudyPaper:
    """Everything the paper says, read as `user` may read it."""
    from surveys.models import Wave
    from surveys.results import activity_evaluation

    def step(name: str, reason: str) -> None:
        if progress is not None:
            progress.item(name, "created", reason)

    background, figures = background_section(user, activity)
    step(_("Background of the workshop"), figures["summary"])
    waves = list(
        Wave.objects.restrict(user)
        .filter(activity=activity)
        .select_related("questionnaire")
        .order_by("opens_on", "pk")
    )
    evaluation = activity_evaluation(user, activity, waves)
    issued = {wave.pk: links for wave, links, _answers in evaluation.waves}
    needs, respondents = questionnaire_section(user, activity, waves, issued)
    figures["needs_respondents"] = respondents
    step(
        _("Pre-workshop questionnaire"),
        ngettext("%(count)d respondent", "%(count)d respondents", respondents) % {"count": respondents}
        if any(wave.stage == "needs" for wave in waves)
        else _("No pre-workshop questionnaire"),
    )
    evaluation_part = evaluation_section(user, waves, evaluation)
    step(_("Evaluation results"), "")
    passages, sources = passages_section(user, activity)
    quoted = sum(isinstance(block, Quote) for block in passages.blocks)
    step(
        _("Key passages"),
        ngettext("%(count)d passage quoted", "%(count)d passages quoted", quoted) % {"count": quoted},
    )
    research = research_section(user, activity)
    step(_("Related research"), "")
    sections = [
        Section(
            _("Summary"),
            [EditorsNote(_("Summarise the workshop, what the participants needed and what it achieved."))],
            editors=True,
        ),
        background,
        needs,
        evaluation_part,
        passages,
        research,
        Section(
            _("Analysis"),
            [
                EditorsNote(
                    _(
                        "Analyse the needs expressed before the workshop against what it delivered and "
                        "what the evaluation shows; draw on the passages and the research above."
                    )
                )
            ],
            editors=True,
        ),
        Section(
            _("Recommendations"),
            [
                EditorsNote(
                    _(
                        "Recommend what the administrations, the regional offices and the Secretariat "
                        "should do next, and for whom."
                    )
                )
            ],
            editors=True,
        ),
        sources,
    ]
    return StudyPaper(
        activity=activity,
        title=activity.title,
        facts=_facts(activity)[:3],
        sections=sections,
        figures=figures,
        generated=_("Draft compiled on %(date)s from the records of cbhub, for its editors.")
        % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
    )


# --- the sections --------------------------------------------------------------------------------


def _dates(activity: Activity) -> str:
    if not activity.start_date:
        return _("Dates not recorded")
    start = date_format(activity.start_date, "DATE_FORMAT")
    if not activity.end_date or activity.end_date == activity.start_date:
        return start
    return f"{start} – {date_format(activity.end_date, 'DATE_FORMAT')}"


def _facts(activity: Activity) -> list[str]:
    offices = [str(activity.lead_office), *(str(office) for office in activity.organising_offices.all())]
    venue = ", ".join(part for part in (activity.venue, activity.city) if part)
    facts = [
        f"{activity.get_kind_display()} · {_dates(activity)}",
        _("Organised by %(offices)s") % {"offices": ", ".join(offices)},
        _("Host: %(host)s") % {"host": activity.host_member.label if activity.host_member_id else "—"},
        _("Venue: %(venue)s (%(mode)s)")
        % {"venue": venue or "—", "mode": activity.get_delivery_mode_display().lower()},
    ]
    if activity.region_id:
        facts.append(_("Region: %(region)s") % {"region": activity.region})
    topics = [str(topic.label) for topic in activity.topics.all()]
    if topics:
        facts.append(_("Topics: %(topics)s") % {"topics": ", ".join(topics)})
    return facts


def _genders() -> list[tuple[str, str]]:
    from people.models import Gender

    return [(value, str(label)) for value, label in Gender.choices]


def background_section(user, activity: Activity) -> tuple[Section, dict]:
    """Objectives, dates, host, and participants by administration and gender (counts only)."""
    from network.models import Member

    section = Section(_("Background of the workshop"))
    section.blocks.append(Subheading(_("Objectives")))
    section.blocks.append(Text(activity.objectives or _("No objectives were recorded for this workshop.")))
    if activity.expected_results:
        section.blocks += [Subheading(_("Expected results")), Text(activity.expected_results)]
    section.blocks.append(Subheading(_("Dates, host and organisers")))
    section.blocks += [Text(fact, bullet=True) for fact in _facts(activity)]
    beneficiaries = [member.label for member in activity.beneficiary_members.all()]
    if beneficiaries:
        section.blocks.append(
            Text(_("Beneficiary administrations: %(members)s") % {"members": ", ".join(beneficiaries)}, True)
        )

    taking_part = (
        Participation.objects.restrict(user).filter(activity=activity).exclude(attendance=Attendance.ABSENT)
    )
    rows = (
        taking_part.filter(role=ParticipationRole.PARTICIPANT)
        .order_by()
        .values("member", "gender")
        .annotate(n=Count("pk"))
    )
    counts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["member"]][row["gender"]] += row["n"]
    resource_people = taking_part.exclude(role=ParticipationRole.PARTICIPANT).count()
    names = {member.pk: member.label for member in Member.objects.filter(pk__in=[pk for pk in counts if pk])}
    genders = _genders()
    totals = {value: sum(by_gender[value] for by_gender in counts.values()) for value, _label in genders}
    participants = sum(totals.values())
    administrations = len([pk for pk in counts if pk])
    summary = ngettext("%(count)s participant", "%(count)s participants", participants) % {
        "count": grouped(participants)
    }
    summary += " " + ngettext(
        "from %(count)s administration", "from %(count)s administrations", administrations
    ) % {"count": grouped(administrations)}
    gender_text = ", ".join(f"{label}: {grouped(totals[value])}" for value, label in genders if totals[value])
    section.blocks.append(Subheading(_("Participants")))
    if participants:
        section.blocks.append(Text(f"{summary} ({gender_text})."))
    else:
        section.blocks.append(Text(_("No participant is recorded for this workshop.")))
    if resource_people:
        section.blocks.append(
            Text(
                ngettext(
                    "%(count)s trainer, expert or observer took part as well.",
                    "%(count)s trainers, experts or observers took part as well.",
                    resource_people,
                )
                % {"count": grouped(resource_people)}
            )
        )
    if participants:
        ordered = sorted(
            counts.items(),
            key=lambda item: (-sum(item[1].values()), names.get(item[0], "~") if item[0] else "~"),
        )
        # Female and male always; the other answers only where someone gave them.
        columns = [(value, label) for value, label in genders if value in ("female", "male") or totals[value]]
        table_rows = [
            [
                names.get(pk, _("Not known")) if pk else _("Not known"),
                *(grouped(by_gender[value]) for value, _label in columns),
                grouped(sum(by_gender.values())),
            ]
            for pk, by_gender in ordered
        ]
        table_rows.append(
            [_("Total"), *(grouped(totals[value]) for value, _l in columns), grouped(participants)]
        )
        section.blocks.append(
            Table(
                [_("Administration"), *(label for _value, label in columns), _("Total")],
                table_rows,
                _("Participants by administration and gender"),
            )
        )
        shown = ordered[:ADMINISTRATIONS_CHARTED]
        section.blocks.append(
            stacked_chart(
                [names.get(pk, _("Not known")) if pk else _("Not known") for pk, _by in shown],
                [
                    (label, GENDER_COLOURS.get(value, ACCENT), [by_gender[value] for _pk, by_gender in shown])
                    for value, label in genders
                    if totals[value]
                ],
                title=_("Participants by administration and gender"),
            )
        )
    figures = {
        "participants": participants,
        "administrations": administrations,
        "genders": {value: totals[value] for value, _label in genders},
        "summary": f"{summary} ({gender_text})" if participants else summary,
    }
    return section, figures


def questionnaire_section(user, activity: Activity, waves: list, issued: dict) -> tuple[Section, int]:
    """The needs (pre-workshop) waves' results as the surveys results module gives them."""
    from surveys.models import Stage
    from surveys.results import wave_results

    section = Section(_("Pre-workshop questionnaire"))
    needs = [wave for wave in waves if wave.stage == Stage.NEEDS]
    if not needs:
        section.blocks.append(
            Text(
                _(
                    "This workshop had no pre-workshop questionnaire: the paper has no needs "
                    "assessment to report."
                )
            )
        )
        return section, 0
    language = _language()
    respondents_total = 0
    for wave in needs:
        if len(needs) > 1:
            section.blocks.append(Subheading(str(wave.questionnaire)))
        results = wave_results(user, wave, {}, language)
        period = f"{date_format(wave.opens_on, 'DATE_FORMAT')} – {date_format(wave.closes_on, 'DATE_FORMAT')}"
        section.blocks.append(
            Text(
                _("%(questionnaire)s, open %(period)s; %(links)s links sent.")
                % {
                    "questionnaire": wave.questionnaire,
                    "period": period,
                    "links": grouped(issued.get(wave.pk, 0)),
                }
            )
        )
        if results.suppressed:
            section.blocks.append(
                Text(
                    _("Fewer than 5 people answered this anonymous questionnaire: its results are withheld.")
                )
            )
            continue
        if not results.respondents:
            section.blocks.append(Text(_("No one answered this questionnaire.")))
            continue
        respondents_total += results.respondents
        section.blocks.append(
            Text(
                ngettext(
                    "%(count)s person answered it.", "%(count)s people answered it.", results.respondents
                )
                % {"count": grouped(results.respondents)}
            )
        )
        if results.by_member:
            section.blocks.append(
                Table(
                    [_("Administration"), _("Respondents")],
                    [[name, _("fewer than 5") if n is None else grouped(n)] for name, n in results.by_member],
                    _("Respondents by administration"),
                )
            )
        charts = 0
        for question in results.questions:
            blocks = _question_blocks(question)
            if not blocks:
                continue
            if charts >= CHARTS_PER_WAVE:
                blocks = [block for block in blocks if not isinstance(block, Chart)]
            charts += sum(isinstance(block, Chart) for block in blocks)
            section.blocks += [Subheading(question.label), *blocks]
    return section, respondents_total


def _language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en")[:2]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _question_blocks(question) -> list:
    """A question's table and chart (or its free-text answers), nothing if no one answered it."""
    if not question.answered:
        return []
    answered = ngettext(
        "%(count)s respondent answered.", "%(count)s respondents answered.", question.answered
    ) % {"count": grouped(question.answered)}
    if question.kind in ("text", "long_text"):
        if not question.texts:
            return []
        return [
            Text(answered + " " + _("Some answers, as given:")),
            *(Quote(text[:QUOTE_CHARS], "") for text in question.texts[:TEXTS_QUOTED]),
        ]
    if question.kind == "matrix":
        if not question.rows:
            return []
        rows = [[label, _number(mean), grouped(n)] for label, mean, n in question.rows]
        return [
            Text(answered),
            Table([_("Aspect"), _("Mean rating"), _("Answers")], rows, question.label),
            bar_chart(
                [label for label, _mean, _n in question.rows],
                [mean or 0 for _label, mean, _n in question.rows],
                title=question.label,
                axis=_("Mean rating"),
            ),
        ]
    if not question.labels or not any(question.values):
        return []
    rows = [
        [label, grouped(value), _percent(value / question.answered if question.answered else None)]
        for label, value in zip(question.labels, question.values, strict=True)
    ]
    blocks = [Text(answered)]
    if question.mean is not None:
        blocks.append(Text(_("Mean: %(mean)s") % {"mean": _number(question.mean)}))
    blocks += [
        Table([_("Answer"), _("Respondents"), _("Share")], rows, question.label),
        bar_chart(
            question.labels, question.values, title=question.label, axis=_("Respondents"), integer=True
        ),
    ]
    return blocks


def evaluation_section(user, waves: list, evaluation) -> Section:
    """The workshop's questionnaires and its evaluation figures, withheld as the activity page does."""
    from surveys.results import MIN_CELL, must_suppress

    section = Section(_("Evaluation results"))
    if not waves:
        section.blocks.append(Text(_("No questionnaire was attached to this workshop.")))
        return section
    section.blocks.append(
        Table(
            [_("Questionnaire"), _("Stage"), _("Links"), _("Answers")],
            [
                [str(wave.questionnaire), wave.get_stage_display(), grouped(links), grouped(answers)]
                for wave, links, answers in evaluation.waves
            ],
            _("Questionnaires of the workshop"),
        )
    )
    careful = any(must_suppress(user, wave) for wave in waves)
    rows, chart = [], []
    learning = evaluation.learning
    if learning is not None:
        if learning.pre_mean is not None:
            rows.append([_("Pre-test (mean score)"), _percent(learning.pre_mean)])
            chart.append((_("Pre-test"), learning.pre_mean * 100))
        if learning.post_mean is not None:
            rows.append([_("Post-test (mean score)"), _percent(learning.post_mean)])
            chart.append((_("Post-test"), learning.post_mean * 100))
        if learning.gain_mean is not None:
            gain = round(learning.gain_mean * 100)
            rows.append(
                [
                    _("Learning gain"),
                    ngettext(
                        "%(gain)s points (%(count)s participant paired)",
                        "%(gain)s points (%(count)s participants paired)",
                        learning.paired,
                    )
                    % {"gain": f"+{gain}" if gain > 0 else str(gain), "count": grouped(learning.paired)},
                ]
            )
    if evaluation.reaction is not None and (not careful or evaluation.reaction_respondents >= MIN_CELL):
        rows.append(
            [
                _("Reaction (ratings as a share of the scale)"),
                f"{_percent(evaluation.reaction)} (n = {grouped(evaluation.reaction_respondents)})",
            ]
        )
        chart.append((_("Reaction"), evaluation.reaction * 100))
    if evaluation.applied is not None and (not careful or evaluation.follow_up_respondents >= MIN_CELL):
        rows.append(
            [
                _("Applied the learning (follow-up)"),
                f"{_percent(evaluation.applied)} (n = {grouped(evaluation.follow_up_respondents)})",
            ]
        )
        chart.append((_("Applied the learning"), evaluation.applied * 100))
    if not rows:
        section.blocks.append(Text(_("The questionnaires give no evaluation figure yet.")))
        return section
    section.blocks.append(Table([_("Measure"), _("Result")], rows, _("Evaluation at a glance")))
    if chart:
        section.blocks.append(
            bar_chart(
                [label for label, _value in chart],
                [value for _label, value in chart],
                title=_("Evaluation at a glance"),
                axis=_("Per cent"),
                limit=100,
            )
        )
    section.blocks.append(
        Text(
            _(
                "The reaction is the average of the ratings given at the end, as a share of the scale; "
                "the gain pairs each participant's pre- and post-test. Anonymous questionnaires show no "
                "figure over fewer than %(minimum)d respondents."
            )
            % {"minimum": MIN_CELL}
        )
    )
    return section


def _source_documents(user, activity: Activity):
    """The workshop's own documents (its materials) and the Secretariat's documents on its topics."""
    from knowledge.models import Document, DocumentKind, DocumentStatus
    from network.models import OfficeKind

    topics = list(activity.topics.values_list("pk", flat=True))
    linked = Q(activity=activity)
    if topics:
        secretariat = Q(office__kind=OfficeKind.SECRETARIAT) | Q(author_offices__kind=OfficeKind.SECRETARIAT)
        linked |= secretariat & Q(topics__in=topics)
    documents = (
        Document.objects.restrict(user)
        .filter(status=DocumentStatus.READY, pk__in=Document.objects.filter(linked).values("pk"))
        .exclude(kind__in=[DocumentKind.STUDY_PAPER, DocumentKind.CONFERENCE_PAPER])
        .select_related("office")
        .order_by("-date", "-pk")[:MAX_DOCUMENTS]
    )
    return {document.pk: document for document in documents}


def _trim(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end > limit // 2:
        return cut[: end + 1] + " …"
    return cut.rsplit(" ", 1)[0] + " …"


def passages_section(user, activity: Activity) -> tuple[Section, Section]:
    """For each topic of the workshop, the passages of its documents closest in meaning to the topic
    and the workshop, quoted as they are, each cited; and the list of sources cited."""
    from knowledge.embeddings import DIMENSIONS, embed, from_bytes
    from knowledge.models import Chunk

    section = Section(_("Key passages from the workshop's materials and the Secretariat's technical advice"))
    sources = Section(_("Sources"))
    documents = _source_documents(user, activity)
    chunks = list(
        Chunk.objects.restrict(user)
        .filter(document__in=list(documents))
        .order_by("document", "ordinal")
        .values_list("pk", "document", "ordinal", "text", "embedding")[:MAX_CHUNKS]
    )
    vectors, rows = [], []
    for pk, document, ordinal, text, data in chunks:
        vector = from_bytes(data) if data else None
        if vector is not None and vector.shape == (DIMENSIONS,):
            vectors.append(vector)
            rows.append((pk, document, ordinal, text))
    if not rows:
        section.blocks.append(
            Text(
                _(
                    "No material of this workshop and no technical-advice document of the Secretariat on "
                    "its topics is in the knowledge base yet: upload them (kind “Workshop material”, "
                    "linked to the workshop) and compile again."
                )
            )
        )
        sources.blocks.append(Text(_("No document is cited.")))
        return section, sources
    passages_of = dict(
        Chunk.objects.restrict(user)
        .filter(document__in=list(documents))
        .order_by()
        .values("document")
        .annotate(n=Count("pk"))
        .values_list("document", "n")
    )
    topics = list(activity.topics.all()[:MAX_TOPICS])
    context = " ".join(part for part in (activity.title, activity.objectives) if part)
    groups = [
        (str(topic.label), f"{topic.label_en}. {topic.description} {context}".strip()) for topic in topics
    ] or [(_("The workshop"), context or activity.title)]
    queries = embed([query for _label, query in groups])
    matrix = np.stack(vectors)
    numbers: dict[int, int] = {}
    chosen: set[int] = set()
    section.blocks.append(
        Text(
            _(
                "Passages chosen by their closeness in meaning to each topic of the workshop, quoted as "
                "they stand; the numbers refer to the sources at the end."
            )
        )
    )
    for (label, _query), target in zip(groups, queries, strict=True):
        similarity = matrix @ np.asarray(target, dtype=np.float32)
        order = np.argsort(-similarity, kind="stable")
        picked, per_document = [], defaultdict(int)
        for index in order:
            if similarity[index] < MIN_SIMILARITY or len(picked) >= PASSAGES_PER_TOPIC:
                break
            pk, document, ordinal, text = rows[index]
            if pk in chosen or per_document[document] >= PASSAGES_PER_DOCUMENT:
                continue
            chosen.add(pk)
            per_document[document] += 1
            picked.append((document, ordinal, text))
        section.blocks.append(Subheading(label))
        if not picked:
            section.blocks.append(Text(_("No passage of these documents is close to this topic.")))
            continue
        for document, ordinal, text in picked:
            number = numbers.setdefault(document, len(numbers) + 1)
            citation = _("[%(number)d] %(title)s, passage %(position)d of %(count)d") % {
                "number": number,
                "title": documents[document].title,
                "position": ordinal + 1,
                "count": passages_of.get(document) or ordinal + 1,
            }
            section.blocks.append(Quote(_trim(text), citation))
    for document, number in sorted(numbers.items(), key=lambda item: item[1]):
        sources.blocks.append(Text(f"[{number}] {_reference(documents[document])}"))
    if not numbers:
        sources.blocks.append(Text(_("No document is cited.")))
    return section, sources


def _reference(document) -> str:
    parts = [document.title, document.get_kind_display()]
    if document.author_names:
        parts.insert(1, document.author_names)
    elif document.office_id:
        parts.insert(1, str(document.office))
    if document.date:
        parts.append(str(document.date.year))
    parts.append(settings.SITE_URL.rstrip("/") + document.get_absolute_url())
    return ". ".join(parts)


def research_section(user, activity: Activity) -> Section:
    """The accepted conference papers closest to the workshop (conferences.bridge), with the start of
    their abstract."""
    from conferences.bridge import closest_papers
    from conferences.models import Submission

    section = Section(_("Related research"))
    found = closest_papers(activity, limit=PAPERS)
    visible = set(
        Submission.objects.restrict(user)
        .filter(pk__in=[paper.pk for paper, _s in found])
        .values_list("pk", flat=True)
    )
    papers = [(paper, similarity) for paper, similarity in found if paper.pk in visible]
    if not papers:
        section.blocks.append(Text(_("No accepted conference paper is close to this workshop yet.")))
        return section
    section.blocks.append(
        Text(_("The accepted conference papers closest in meaning to the workshop's title and objectives."))
    )
    section.blocks.append(
        Table(
            [_("Paper"), _("Conference"), _("Similarity")],
            [[paper.title, str(paper.call.conference), f"{similarity:.2f}"] for paper, similarity in papers],
            _("Closest conference papers"),
        )
    )
    for paper, _similarity in papers:
        if paper.abstract:
            section.blocks.append(
                Quote(_trim(paper.abstract, 400), f"{paper.title} ({paper.call.conference})")
            )
    return section


# --- charts (matplotlib, Agg, no display) ---------------------------------------------------------


def _figure(rows: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = 6.4, min(max(1.3 + 0.38 * rows, 2.2), 8.5)
    figure = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    axes.tick_params(labelsize=7)
    return figure, axes, width, height


def _png(figure, title: str, width: float, height: float) -> Chart:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    figure.clear()
    return Chart(buffer.getvalue(), title, width, height)


def _wrap(label: str, width: int = 38) -> str:
    return textwrap.fill(str(label), width, max_lines=3, placeholder=" …")


def bar_chart(
    labels, values, *, title: str, axis: str = "", limit: float | None = None, integer: bool = False
) -> Chart:
    from matplotlib.ticker import MaxNLocator

    figure, axes, width, height = _figure(len(labels))
    positions = list(range(len(labels)))
    bars = axes.barh(positions, [float(value or 0) for value in values], color=ACCENT)
    axes.set_yticks(positions, [_wrap(label) for label in labels])
    axes.invert_yaxis()
    axes.bar_label(bars, fmt="%g", fontsize=7, padding=2)
    if limit:
        axes.set_xlim(0, limit * 1.08)
    if integer:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(axis, fontsize=7)
    axes.set_title(_wrap(title, 80), fontsize=8)
    return _png(figure, title, width, height)


def stacked_chart(labels, series, *, title: str) -> Chart:
    """series: [(name, colour, values)] stacked along each label's bar."""
    from matplotlib.ticker import MaxNLocator

    figure, axes, width, height = _figure(len(labels))
    positions = list(range(len(labels)))
    left = [0.0] * len(labels)
    for name, colour, values in series:
        axes.barh(positions, values, left=left, color=colour, label=name)
        left = [start + value for start, value in zip(left, values, strict=True)]
    axes.set_yticks(positions, [_wrap(label) for label in labels])
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=7, frameon=False, loc="lower right")
    axes.set_title(_wrap(title, 80), fontsize=8)
    return _png(figure, title, width, height)


# --- Word ----------------------------------------------------------------------------------------


def study_paper_docx(paper: StudyPaper) -> bytes:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Inches, Pt, RGBColor

    document = Document()
    document.core_properties.title = _("Study paper: %(activity)s") % {"activity": paper.title}
    document.core_properties.subject = _("Draft study paper")
    document.add_heading(paper.title, level=0)
    subtitle = document.add_paragraph(_("Draft study paper"), style="Subtitle")
    subtitle.runs[0].font.color.rgb = RGBColor(0x0B, 0x4F, 0x8A)
    for fact in paper.facts:
        document.add_paragraph(fact)
    note = document.add_paragraph()
    note.add_run(
        _(
            "This draft was compiled from the records of the workshop. Sections marked %(mark)s are for "
            "the editors to write; check every figure and quotation before publishing."
        )
        % {"mark": editors_mark()}
    ).italic = True
    for section in paper.sections:
        heading = section.heading + (f" {editors_mark()}" if section.editors else "")
        document.add_heading(heading, level=1)
        for block in section.blocks:
            if isinstance(block, Subheading):
                document.add_heading(block.text, level=2)
            elif isinstance(block, Text):
                document.add_paragraph(block.text, style="List Bullet" if block.bullet else None)
            elif isinstance(block, Table):
                if block.caption:
                    document.add_paragraph(block.caption, style="Caption")
                table = document.add_table(rows=1, cols=len(block.header))
                table.style = "Light Grid Accent 1"
                for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                    cell.text = str(text)
                for row in block.rows:
                    cells = table.add_row().cells
                    for cell, text in zip(cells, row, strict=True):
                        cell.text = str(text)
                document.add_paragraph()
            elif isinstance(block, Chart):
                width = min(block.width_in, 6.0)
                document.add_picture(io.BytesIO(block.png), width=Inches(width))
                document.add_paragraph(_("Figure: %(title)s") % {"title": block.caption}, style="Caption")
            elif isinstance(block, Quote):
                document.add_paragraph(block.text, style="Quote")
                if block.citation:
                    citation = document.add_paragraph().add_run(f"— {block.citation}")
                    citation.italic, citation.font.size = True, Pt(9)
            elif isinstance(block, EditorsNote):
                paragraph = document.add_paragraph()
                run = paragraph.add_run(f"{editors_mark()} {block.text}")
                run.italic = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    document.add_paragraph().add_run(paper.generated).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Plain text as a ReportLab paragraph: markup escaped, line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def study_paper_pdf(paper: StudyPaper) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch, mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    accent = HexColor(ACCENT)
    title = ParagraphStyle("PaperTitle", parent=styles["Title"], textColor=accent, alignment=0)
    subtitle = ParagraphStyle("PaperSubtitle", parent=styles["Heading3"], textColor=HexColor("#4b5563"))
    h1 = ParagraphStyle("PaperH1", parent=styles["Heading2"], textColor=accent)
    h2 = styles["Heading3"]
    body = styles["BodyText"]
    bullet = ParagraphStyle("PaperBullet", parent=body, leftIndent=12, bulletIndent=2)
    cell = ParagraphStyle("PaperCell", parent=body, fontSize=8, leading=10)
    head_cell = ParagraphStyle(
        "PaperHeadCell", parent=cell, fontName="Helvetica-Bold", textColor=HexColor("#ffffff")
    )
    caption = ParagraphStyle("PaperCaption", parent=body, fontSize=8, textColor=HexColor("#4b5563"))
    quote = ParagraphStyle(
        "PaperQuote", parent=body, leftIndent=14, rightIndent=8, fontName="Helvetica-Oblique", fontSize=9
    )
    citation = ParagraphStyle("PaperCitation", parent=caption, leftIndent=14, spaceAfter=6)
    editors = ParagraphStyle(
        "PaperEditors",
        parent=body,
        backColor=HexColor("#fff4c2"),
        borderColor=HexColor("#d4a72c"),
        borderWidth=0.6,
        borderPadding=6,
        spaceBefore=6,
        spaceAfter=10,
        fontName="Helvetica-Oblique",
    )
    page_width = A4[0] - 40 * mm

    story: list = [Paragraph(_text(paper.title), title), Paragraph(_text(_("Draft study paper")), subtitle)]
    story += [Paragraph(_text(fact), body) for fact in paper.facts]
    story.append(
        Paragraph(
            "<i>"
            + _text(
                _(
                    "This draft was compiled from the records of the workshop. Sections marked %(mark)s are "
                    "for the editors to write; check every figure and quotation before publishing."
                )
                % {"mark": editors_mark()}
            )
            + "</i>",
            body,
        )
    )
    for section in paper.sections:
        heading = section.heading + (f" {editors_mark()}" if section.editors else "")
        story.append(Paragraph(_text(heading), h1))
        for block in section.blocks:
            if isinstance(block, Subheading):
                story.append(Paragraph(_text(block.text), h2))
            elif isinstance(block, Text):
                if block.bullet:
                    story.append(Paragraph(_text(block.text), bullet, bulletText="•"))
                else:
                    story.append(Paragraph(_text(block.text), body))
            elif isinstance(block, Table):
                data = [[Paragraph(_text(text), head_cell) for text in block.header]]
                data += [[Paragraph(_text(text), cell) for text in row] for row in block.rows]
                first = page_width * (0.45 if len(block.header) > 2 else 0.6)
                rest = (page_width - first) / max(len(block.header) - 1, 1)
                table = PdfTable(data, colWidths=[first] + [rest] * (len(block.header) - 1), repeatRows=1)
                table.setStyle(
                    TableStyle(
                        [
                            ("BACKGROUND", (0, 0), (-1, 0), accent),
                            ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#c7d2de")),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#ffffff"), HexColor("#f3f6f9")]),
                        ]
                    )
                )
                parts = [Paragraph(_text(block.caption), caption)] if block.caption else []
                story += [*parts, table, Spacer(1, 4 * mm)]
            elif isinstance(block, Chart):
                width = min(block.width_in * inch, page_width)
                height = width * block.height_in / block.width_in
                image = Image(io.BytesIO(block.png), width=width, height=height)
                story.append(
                    KeepTogether(
                        [image, Paragraph(_text(_("Figure: %(title)s") % {"title": block.caption}), caption)]
                    )
                )
                story.append(Spacer(1, 3 * mm))
            elif isinstance(block, Quote):
                story.append(Paragraph(_text(block.text), quote))
                if block.citation:
                    story.append(Paragraph(_text(f"— {block.citation}"), citation))
            elif isinstance(block, EditorsNote):
                story.append(Paragraph(_text(f"{editors_mark()} {block.text}"), editors))
    story += [Spacer(1, 6 * mm), Paragraph(_text(paper.generated), caption)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Study paper: %(activity)s") % {"activity": paper.title},
        author=str(paper.activity.lead_office),
        subject=_("Draft study paper"),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()
