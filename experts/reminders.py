"""The daily job that emails experts and their ROCB before an accreditation expires."""

import datetime

from django.conf import settings

from experts import services
from jobs.registry import job_handler
from jobs.schedule import register_periodic

EXPIRY_NOTICES = "experts.expiry_notices"


@job_handler(EXPIRY_NOTICES)
def send_expiry_notices(job, progress) -> None:
    sent = services.accreditation_send_expiry_notices(within_days=settings.EXPERTS_EXPIRY_NOTICE_DAYS)
    progress.item("expiry notices", "created" if sent else "unchanged", f"{sent} sent")


def register() -> None:
    register_periodic(EXPIRY_NOTICES, datetime.timedelta(days=1))
