"""The training demo on a small demo volume: every RTC offers 6–15 products with modules within their
hours and competencies of the Professional Standards, most of them offered by the right users, with
past activities of the centre's region as sessions; five recognised programmes, two applications
under review, the CLiKC! platform and its completions; a second run creates nothing new."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from activities.demo import Volume, demo_data_create
from network.models import Office, OfficeKind
from training.demo import SPECIALITIES
from training.models import (
    Competency,
    Completion,
    LearningPlatform,
    Module,
    Product,
    ProductMove,
    ProductStatus,
    ProductVersion,
    RecognitionApplication,
    RecognitionReviewer,
    Session,
)

pytestmark = pytest.mark.django_db

MODELS = (Product, Module, ProductMove, ProductVersion, Session, RecognitionApplication, Completion)


@pytest.fixture
def demo(db):
    """The activities demo at three quarters of its activities and a few of its participations."""
    demo_data_create(Volume(activities=1500, participations=4500, years=5), progress=lambda _message: None)


def run() -> str:
    out = io.StringIO()
    call_command("demo_training", stdout=out)
    return out.getvalue()


def test_every_centre_offers_products_of_its_speciality_with_sessions_and_a_second_run_adds_nothing(demo):
    summary = run()
    assert "Demo training ready:" in summary.splitlines()[-1]
    centres = Office.objects.filter(kind=OfficeKind.RTC)
    per_centre = dict(Product.objects.values_list("owner_office").annotate(count=Count("pk")))
    assert set(per_centre) == set(centres.values_list("pk", flat=True))
    assert all(6 <= count <= 15 for count in per_centre.values())
    statuses = Product.objects.values_list("status", flat=True)
    assert statuses.filter(status=ProductStatus.OFFERED).count() > 0.6 * statuses.count()
    assert {ProductStatus.DRAFT, ProductStatus.PROPOSED, ProductStatus.RETIRED} <= set(statuses)

    japan = Product.objects.filter(owner_office__code="rtc-japan")
    speciality = set(SPECIALITIES["rtc-japan"].split())
    assert japan.filter(topics__slug__in=speciality).distinct().count() >= 6
    for product in Product.objects.prefetch_related("modules__competencies", "competencies", "topics"):
        modules = list(product.modules.all())
        assert 2 <= len(modules) <= 5
        assert sum((module.hours for module in modules), Decimal(0)) <= product.duration_hours
        assert product.title_fr and product.topics.all()
        assert {c.code for m in modules for c in m.competencies.all()} <= {
            c.code for c in product.competencies.all()
        }
    assert not Competency.objects.filter(is_retired=True, products__isnull=False).exists()

    # the centre proposes and offers, its ROCB endorses (or the Secretariat where the demo has nobody)
    moves = ProductMove.objects.filter(product__owner_office__code="rtc-japan")
    assert set(moves.filter(to_status="proposed").values_list("user__username", flat=True)) == {"rtc.japan"}
    assert set(moves.filter(to_status="endorsed").values_list("user__username", flat=True)) == {"rocb.ap"}
    assert set(
        ProductMove.objects.filter(product__owner_office__code="rtc-kenya").values_list(
            "user__username", flat=True
        )
    ) == {"secretariat"}

    sessions = Session.objects.select_related("activity", "product__owner_office", "version")
    for session in sessions:
        activity, product = session.activity, session.product
        assert activity.status in ("delivered", "evaluated", "closed")
        assert activity.region_id == product.owner_office.region_id
        assert set(activity.topics.values_list("pk", flat=True)) & set(
            product.topics.values_list("pk", flat=True)
        )
        assert session.version.product_id == product.pk
    several = Product.objects.filter(status=ProductStatus.OFFERED).annotate(count=Count("sessions"))
    assert several.filter(count__gte=2).count() > several.count() / 2

    recognised = RecognitionApplication.objects.filter(status__in=["recognised", "conditional"])
    assert recognised.count() == 5
    assert recognised.values("institution__country").distinct().count() == 5
    for application in recognised:
        assert application.decided_on < application.expires_on and application.reasons
        assert application.courses.filter(competencies__isnull=False).exists()
    under_review = RecognitionApplication.objects.filter(status="under_review")
    assert under_review.count() == 2
    assert RecognitionReviewer.objects.filter(application__in=under_review).count() == 4

    platform = LearningPlatform.objects.get(name="WCO CLiKC!")
    assert platform.office.kind == OfficeKind.SECRETARIAT and len(platform.token_hash) == 64
    completions = Completion.objects.filter(platform=platform)
    assert completions.values("person").distinct().count() >= 200
    assert set(completions.values_list("product__kind", flat=True)) == {"elearning"}
    assert set(completions.values_list("status", flat=True)) == {"completed", "passed"}
    assert not completions.exclude(member=F("person__member")).exists()

    # a second run creates nothing new
    before = [model.objects.count() for model in MODELS]
    assert "0 products, 0 modules, 0 sessions" in run()
    assert [model.objects.count() for model in MODELS] == before
