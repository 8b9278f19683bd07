"""A PICARD conference with an open double-blind call, its reviewer pool and one paper by the
`researcher` account, for the services', views' and permission tests."""

import datetime
import io

import pytest
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.models import Conference, ConferenceKind, Reviewer
from network.models import Member
from surveys.tests.test_sending import smtp  # noqa: F401 (a real SMTP server on loopback)
from topics.models import Topic


def docx_bytes(text: str) -> bytes:
    """A real DOCX with `text` (python-docx writes it)."""
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def picard(user_named):
    conference = Conference.objects.create(
        kind=ConferenceKind.PICARD, number=90, title="90th PICARD", year=2027
    )
    now = timezone.now()
    call = services.call_create(
        user=user_named("secretariat"),
        conference=conference,
        data={
            "title": "Call for papers, PICARD 2027",
            "abstract_deadline": now + datetime.timedelta(days=20),
            "paper_deadline": now + datetime.timedelta(days=40),
            "camera_ready_deadline": now + datetime.timedelta(days=90),
            "languages": ["en", "fr"],
            "topics": [Topic.objects.get(slug="pca")],
        },
    )
    call.status = "open"
    call.save()
    return call


def person_with_account(user, member_code="ES", **fields):
    return PersonFactory(
        user=user, member=Member.objects.get(iso_alpha2=member_code), email=user.email, **fields
    )


@pytest.fixture
def pool(picard, user_named):
    """Four reviewers: the `expert` account (Spain, practitioner), academics from Japan and Kenya,
    and a practitioner from Kenya."""
    expert = person_with_account(user_named("expert"), "ES", first_name="Elena", last_name="Expert")
    people = [
        (expert, "practitioner", "", "Post-clearance audit and risk management in Spanish Customs."),
        (
            PersonFactory(member=Member.objects.get(iso_alpha2="JP")),
            "academic",
            "University of Tokyo",
            "Customs valuation and audit research.",
        ),
        (
            PersonFactory(member=Member.objects.get(iso_alpha2="KE")),
            "academic",
            "University of Nairobi",
            "Trade facilitation economics.",
        ),
        (
            PersonFactory(member=Member.objects.get(iso_alpha2="KE")),
            "practitioner",
            "",
            "Risk management and post-clearance audit.",
        ),
    ]
    secretariat = user_named("secretariat")
    return [
        services.reviewer_add(
            user=secretariat,
            conference=picard.conference,
            person=person,
            data={"kind": kind, "institution": institution, "expertise": expertise, "languages": ["en"]},
        )
        for person, kind, institution, expertise in people
    ]


@pytest.fixture
def paper(picard, user_named):
    """A draft by the researcher (Japan) with a full paper uploaded."""
    researcher = user_named("researcher")
    person_with_account(researcher, "JP", first_name="Rafael", last_name="Researcher")
    submission = services.submission_create(
        user=researcher,
        call=picard,
        data={
            "title": "Post-clearance audit in small administrations",
            "abstract": "How small customs administrations organise post-clearance audit.",
            "language": "en",
            "topics": [Topic.objects.get(slug="pca")],
        },
    )
    services.file_upload(
        user=researcher,
        submission=submission,
        name="paper.docx",
        content=docx_bytes("Post-clearance audit\nA study of audit units in twelve administrations."),
    )
    return submission


@pytest.fixture
def submitted(paper, user_named):
    return services.submission_submit(user=user_named("researcher"), submission=paper)


@pytest.fixture
def reviewing(picard, user_named):
    """The call's "Reviewing" phase started."""
    phase = picard.phases.get(position=1)
    return services.phase_activate(user=user_named("secretariat"), phase=phase)


def reviewer_of(pool, username):
    return next(
        reviewer for reviewer in pool if reviewer.person.user and reviewer.person.user.username == username
    )


__all__ = ["Reviewer", "docx_bytes", "person_with_account", "reviewer_of"]
