"""Fixtures shared by the training tests: RTC Japan, and one product of it that went the whole way
through the services (written by rtc.japan, proposed, endorsed by rocb.ap, offered)."""

from decimal import Decimal

import pytest

from network.models import Office
from topics.models import Topic
from training import services
from training.models import Product, ProductStatus


@pytest.fixture
def rtc_japan(db) -> Office:
    return Office.objects.get(code="rtc-japan")


@pytest.fixture
def offered_product(rtc_japan, user_named) -> Product:
    """“Post-clearance audit: foundation course” of RTC Japan, 24 hours in two modules (12 + 8), on
    the topic pca, offered as version 1."""
    rtc, rocb = user_named("rtc.japan"), user_named("rocb.ap")
    product = services.product_create(
        user=rtc,
        owner_office=rtc_japan,
        data={
            "title": "Post-clearance audit: foundation course",
            "title_fr": "Contrôle a posteriori : cours de base",
            "kind": "technical",
            "level": "foundation",
            "duration_hours": 24,
            "delivery_modes": "in_person,virtual",
            "languages": "en,fr",
            "objectives": "Plan and conduct a post-clearance audit.",
            "topics": [Topic.objects.get(slug="pca")],
        },
    )
    for title, hours in (("Selecting companies for audit", "12"), ("Audit techniques on site", "8")):
        services.module_save(user=rtc, product=product, data={"title": title, "hours": Decimal(hours)})
    services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    services.product_move(user=rocb, product=product, to_status=ProductStatus.ENDORSED)
    services.product_move(user=rtc, product=product, to_status=ProductStatus.OFFERED)
    product.refresh_from_db()
    return product
