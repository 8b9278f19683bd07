"""Questionnaires, the waves that send them, the personal links, the responses and the needs they carry.

A `Questionnaire` is a family of `QuestionnaireVersion`s; a version's definition (surveys.definition)
is frozen once it has a response, and answers keep their version. A `Wave` sends a questionnaire to
an audience, for an activity (needs before, tests and reaction after, follow-up months later) or for
a region's yearly needs survey. Each recipient gets an `Invitation`: a personal link whose token only
the email holds (the table keeps its hash), with a validity window, a language and a use count that
the server enforces. A `Response` holds the `Answer`s, one row per value so results aggregate in SQL;
in an anonymous wave it keeps no link to the person or the invitation. The needs answers of a region
are copied into `Need` rows (region, year, administration, topic, weight) when a response is submitted,
and `ActivityNeed` keeps which needs an activity planned from them answers.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel
from people.models import Gender
from surveys.definition import text_in


class Purpose(models.TextChoices):
    NEEDS = "needs", _("Training needs before an activity")
    REACTION = "reaction", _("Reaction at the end of an activity")
    KNOWLEDGE_TEST = "knowledge_test", _("Knowledge test")
    FOLLOW_UP = "follow_up", _("Follow-up on applying the learning")
    IMPACT = "impact", _("Impact on the administration")
    YEARLY_NEEDS = "yearly_needs", _("Yearly regional training needs")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """Where a wave stands in an activity's chain: what it measures and when it is sent."""

    NEEDS = "needs", _("Needs (before)")
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")
    REACTION = "reaction", _("Reaction")
    FOLLOW_UP = "follow_up", _("Follow-up")
    IMPACT = "impact", _("Impact")
    YEARLY_NEEDS = "yearly_needs", _("Yearly needs survey")
    OTHER = "other", _("Other")


NEEDS_STAGES = (Stage.NEEDS, Stage.YEARLY_NEEDS)


class Audience(models.TextChoices):
    NOMINEES = "nominees", _("The activity's nominees")
    PARTICIPANTS = "participants", _("The activity's participants")
    FOCAL_POINTS = "focal_points", _("The focal points of the beneficiary administrations")
    REGION_FOCAL_POINTS = "region_focal_points", _("The focal points of the region's administrations")


class RespondentRole(models.TextChoices):
    NOMINEE = "nominee", _("Nominee")
    PARTICIPANT = "participant", _("Participant")
    SUPERVISOR = "supervisor", _("Supervisor")
    FOCAL_POINT = "focal_point", _("Focal point")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Saved, not yet submitted")
    SUBMITTED = "submitted", _("Submitted")


class Questionnaire(ScopedModel):
    """A questionnaire and its versions. Templates (no owner) are shipped and kept by the Secretariat;
    an office's questionnaires are its own copies."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.OTHER)
    titles = models.JSONField(_("title"), default=dict)  # {"en": ..., "fr": ...}
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    is_template = models.BooleanField(_("template"), default=False)
    owner_office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name=_("office"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_template", "code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return text_in(self.titles, (get_language() or "en")[:2]) or self.code

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])


class QuestionnaireVersion(ScopedModel):
    """One frozen form of a questionnaire: what its respondents answered."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_questionnaire_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    def get_absolute_url(self) -> str:
        return self.questionnaire.get_absolute_url()


class BankQuestion(ScopedModel):
    """A question of the shared bank: one code is one question in every questionnaire, language and
    year, so results aggregate on it. Registered by the services when a version uses a new code."""

    code = models.CharField(_("code"), max_length=63, unique=True)
    kind = models.CharField(_("type"), max_length=16)
    labels = models.JSONField(_("label"), default=dict)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank question")
        verbose_name_plural = _("question bank")

    def __str__(self) -> str:
        return text_in(self.labels, (get_language() or "en")[:2]) or self.code

    def get_absolute_url(self) -> str:
        return reverse("surveys:bank_question", args=[self.code])


class Wave(ScopedModel):
    """One sending of a questionnaire to an audience, with its opening and closing dates."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="waves", verbose_name=_("questionnaire")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waves",
        verbose_name=_("activity"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        related_name="waves",
        verbose_name=_("region"),
        help_text=_("The activity's region, or the region a yearly needs survey covers."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Keep no link between an answer and its respondent.")
    )
    include_supervisors = models.BooleanField(
        _("ask supervisors too"),
        default=False,
        help_text=_("Each participant's supervisor gets a link too, through their focal point."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    reminder_days = models.CharField(
        _("reminders"),
        max_length=40,
        default="7,14",
        blank=True,
        help_text=_("Days after sending on which those who have not answered are reminded, e.g. 7,14."),
    )
    send_when_open = models.BooleanField(
        _("send when it opens"),
        default=False,
        help_text=_("The links go out by themselves on the opening day (a follow-up months after the end)."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("questionnaire wave")
        verbose_name_plural = _("questionnaire waves")
        indexes = [
            models.Index(fields=["activity", "stage"]),
            models.Index(fields=["region", "year", "stage"]),
            models.Index(fields=["sent_at", "closes_on"], name="wave_due"),
        ]

    def __str__(self) -> str:
        subject = self.activity.title if self.activity_id else f"{self.region} {self.year}"
        return f"{self.questionnaire} — {subject} ({self.get_stage_display()})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:wave_detail", args=[self.pk])

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted({int(part) for part in self.reminder_days.split(",") if part.strip().isdigit()})


class Invitation(ScopedModel):
    """A recipient's personal link to a wave. Only the token's SHA-256 is stored; the token itself is
    in the email alone. One link per recipient, role and wave."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    about = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a supervisor: the participant the answers are about."),
    )
    recipient_key = models.CharField(max_length=40, editable=False)  # "person:12" or "user:7"
    role = models.CharField(_("respondent"), max_length=12, choices=RespondentRole.choices)
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=210)
    language = models.CharField(_("language"), max_length=3, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=32, editable=False)  # the token is HMAC(SECRET_KEY, salt)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    max_uses = models.PositiveSmallIntegerField(_("submissions allowed"), default=20)
    uses = models.PositiveSmallIntegerField(_("submissions"), default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        ordering = ["wave", "name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["wave", "recipient_key", "role"], name="one_link_per_recipient")
        ]
        indexes = [models.Index(fields=["wave", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.wave}"

    def get_absolute_url(self) -> str:
        return self.wave.get_absolute_url()


class Response(ScopedModel):
    """One respondent's answers to one version. Anonymous: no person, no invitation; only the resume
    key derived from the token finds it again."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_responses"
    )
    about = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resume_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    role = models.CharField(_("respondent"), max_length=12, choices=RespondentRole.choices)
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    region = models.ForeignKey(
        "network.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    language = models.CharField(_("language"), max_length=3, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)  # knowledge tests: share correct
    last_nonce = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["wave", "status"]),
            models.Index(fields=["person", "wave"]),
            models.Index(fields=["member", "wave"]),
            models.Index(fields=["-submitted_at", "-id"], name="response_newest"),  # the lists' order
        ]

    def __str__(self) -> str:
        who = self.person if self.person_id else _("Anonymous respondent")
        return f"{who} — {self.wave.questionnaire}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:response_detail", args=[self.pk])


class Answer(ScopedModel):
    """One value of a response: a choice, a picked topic, a matrix row's rating, a number, a text.
    Several rows for a multiple choice or a matrix; the value sits in text or number as it aggregates."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(max_length=63)
    row = models.CharField(max_length=63, blank=True)  # the matrix row
    text = models.TextField(blank=True)
    number = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["response", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["code", "text"], name="answer_by_code_value")]

    def __str__(self) -> str:
        return f"{self.code}={self.text or self.number}"


class Need(ScopedModel):
    """A need an administration expressed: a topic picked in a needs questionnaire, with its weight."""

    region = models.ForeignKey("network.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(default=1)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="needs")

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["region", "year", "topic"], name="need_by_region_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:needs") + f"?region={self.region_id}&year={self.year}"


class ActivityNeed(ScopedModel):
    """An activity planned from a region's needs keeps which need (topic, year) it answers."""

    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="needs_answered"
    )
    region = models.ForeignKey("network.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("need answered")
        verbose_name_plural = _("needs answered")
        constraints = [
            models.UniqueConstraint(fields=["activity", "year", "topic"], name="one_link_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.activity} ← {self.topic} ({self.year})"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
