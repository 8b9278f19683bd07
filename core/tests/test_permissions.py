"""The one permission mechanism: every model has a policy, and restrict() filters in the query."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from core.permissions import (
    ALL,
    Action,
    Policy,
    RestrictedQuerySet,
    can,
    permission_filter,
    policy_for,
    register_policy,
)
from network.models import Member, Office
from network.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {
    "accounts",
    "network",
    "core",
    "topics",
    "people",
    "funding",
    "activities",
    "jobs",
    "knowledge",
    "experts",
    "surveys",
    "conferences",
    "meetings",
    "insights",
    "results",
    "training",
}
# Bookkeeping rows no view or endpoint ever lists.
INTERNAL_MODELS = {"IndexGeneration", "RosterGeneration"}


def our_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not model.__name__.startswith("Historical")
        and model.__name__ not in INTERNAL_MODELS
    ]


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model.__name__)
def test_every_model_has_a_policy_and_a_restrictable_manager(model):
    assert policy_for(model) is not None
    assert isinstance(model.objects.all(), RestrictedQuerySet)
    assert model.__doc__ and not model.__doc__.startswith(model.__name__ + "("), "every model has a docstring"


def test_an_unregistered_model_fails_loudly():
    class Unregistered(models.Model):
        class Meta:
            app_label = "core"

    with pytest.raises(ImproperlyConfigured):
        policy_for(Unregistered)


def test_restrict_filters_inside_the_query(user_named):
    rocb = user_named("rocb.ap")
    changeable = Member.objects.restrict(rocb, Action.CHANGE)
    assert "WHERE" in str(changeable.query)
    assert set(changeable.values_list("region__code", flat=True)) == {"A/P"}
    assert Member.objects.restrict(user_named("researcher"), Action.CHANGE).count() == 0


def test_anonymous_users_get_only_public_rows():
    from django.contrib.auth.models import AnonymousUser

    assert Office.objects.restrict(AnonymousUser()).count() == Office.objects.count()
    assert permission_filter(AnonymousUser(), Office, Action.CHANGE) is None


def test_an_inactive_user_loses_their_grants(user_named):
    rocb = user_named("rocb.ap")
    rocb.is_active = False
    assert Member.objects.restrict(rocb, Action.CHANGE).count() == 0


def test_a_user_without_a_scope_gets_nothing_rather_than_everything(user_named):
    rocb = user_named("rocb.ap")
    rocb.region_id = None
    assert Member.objects.restrict(rocb, Action.CHANGE).count() == 0


def test_add_is_checked_against_the_unsaved_object(user_named):
    rocb = user_named("rocb.ap")
    in_region = MemberFactory.build(region=rocb.region)
    elsewhere = MemberFactory.build(region=Member.objects.get(iso_alpha2="KE").region)
    assert can(rocb, Action.ADD, in_region)
    assert not can(rocb, Action.ADD, elsewhere)


def test_callable_grants_build_their_own_filter(user_named):
    class Note(models.Model):
        class Meta:
            app_label = "core"

    register_policy(Note, Policy(view={"researcher": lambda user: Q(pk=user.pk)}))
    condition = permission_filter(user_named("researcher"), Note, Action.VIEW)
    assert condition == Q(pk=user_named("researcher").pk)


def test_a_grant_of_all_rows_is_not_narrowed_by_the_public_rows(user_named):
    # Regression: Q(public) | Q() collapses to Q(public) in Django; ALL must mean every row.
    class Article(models.Model):
        class Meta:
            app_label = "core"

    register_policy(Article, Policy(public=Q(pk=1), view={"researcher": ALL}))
    assert permission_filter(user_named("researcher"), Article, Action.VIEW) == Q()
    assert permission_filter(AnonymousUser(), Article, Action.VIEW) == Q(pk=1)
