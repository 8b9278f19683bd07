"""Periodic jobs: enqueued by the workers' maintenance pass once their interval has passed."""

import datetime

import pytest
from django.utils import timezone

from jobs.models import Job
from jobs.schedule import _periodic, jobs_enqueue_due

pytestmark = pytest.mark.django_db


def test_each_periodic_kind_is_enqueued_once_per_interval(settings):
    settings.JOBS_PERIODIC = True
    assert "experts.expiry_notices" in _periodic
    first = {job.kind for job in jobs_enqueue_due()}
    assert first == set(_periodic)
    assert jobs_enqueue_due() == []  # not again within the interval
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert {job.kind for job in jobs_enqueue_due(now=later)} == set(_periodic)
    assert Job.objects.filter(kind="experts.expiry_notices").count() == 2


def test_periodic_jobs_can_be_turned_off(settings):
    settings.JOBS_PERIODIC = False
    assert jobs_enqueue_due() == []
