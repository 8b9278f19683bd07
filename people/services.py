"""One identity per person: creating people without duplicates, finding duplicates, merging them."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.permissions import Action, can, require
from people.models import Person


def name_key(first_name: str, last_name: str) -> str:
    """A comparison key: case, accents and extra spaces do not make two names different."""
    text = f"{first_name} {last_name}".casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


def person_find_match(
    *, user, first_name: str, last_name: str, email: str = "", member=None
) -> Person | None:
    """The person the user may see with this email, or else with this name in this administration.

    Matching looks only inside the user's scope: a nomination or an import preview must never answer
    with the name of someone the user may not see.
    """
    visible = Person.objects.restrict(user, Action.VIEW)
    if email:
        match = visible.filter(email__iexact=email).first()
        if match:
            return match
        if Person.objects.filter(email__iexact=email).exists():
            # Emails are one person's each; naming the holder would leak them, so say only this.
            raise ValidationError(
                {
                    "email": _(
                        "This email address belongs to a person outside your scope. Leave it blank or "
                        "ask the organisers to add this person."
                    )
                }
            )
    if member is not None:
        return visible.filter(member=member, name_key=name_key(first_name, last_name)).first()
    return None


def _fill_in(user, person: Person, *, email: str, job_title: str) -> None:
    """Complete what the record lacks, only where the user may change it."""
    missing = {"email": email.strip().lower(), "job_title": job_title.strip()}
    missing = {name: value for name, value in missing.items() if value and not getattr(person, name)}
    if not missing or not can(user, Action.CHANGE, person):
        return
    for name, value in missing.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=[*missing, "updated_at"])


@transaction.atomic
def person_get_or_create(
    *,
    user,
    first_name: str,
    last_name: str,
    email: str = "",
    member=None,
    gender: str = "undisclosed",
    job_title: str = "",
) -> tuple[Person, bool]:
    """The matching person in the user's scope (filling in what they lacked, if the user may change
    them), or a new one. Returns (person, created)."""
    existing = person_find_match(
        user=user, first_name=first_name, last_name=last_name, email=email, member=member
    )
    if existing is not None:
        _fill_in(user, existing, email=email, job_title=job_title)
        return existing, False
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        member=member,
        gender=gender,
        job_title=job_title,
    )
    person.name_key = name_key(person.first_name, person.last_name)
    require(user, Action.ADD, person)
    person.full_clean()
    person.save()
    return person, True


def person_duplicate_groups(queryset) -> list[list[Person]]:
    """Groups of people in `queryset` that share a name within one administration."""
    keys = (
        queryset.values("member_id", "name_key").annotate(n=Count("pk")).filter(n__gt=1).order_by("name_key")
    )
    condition = Q(pk__in=[])
    for key in keys[:200]:
        condition |= Q(member_id=key["member_id"], name_key=key["name_key"])
    groups: dict[tuple, list[Person]] = {}
    for person in queryset.filter(condition).select_related("member").order_by("name_key", "pk"):
        groups.setdefault((person.member_id, person.name_key), []).append(person)
    return list(groups.values())


@transaction.atomic
def person_merge(*, user, keep: Person, duplicate: Person) -> Person:
    """Move every participation and nomination of `duplicate` to `keep`, then delete `duplicate`.

    Where both took part in the same activity, the record of `keep` stays and the other is dropped.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    require(user, Action.CHANGE, keep)
    require(user, Action.CHANGE, duplicate)
    for relation in ("participations", "nominations"):
        mine = set(getattr(keep, relation).values_list("activity_id", flat=True))
        theirs = getattr(duplicate, relation)
        theirs.filter(activity_id__in=mine).delete()
        theirs.update(person=keep)
    for field in ("email", "job_title", "member_id"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if duplicate.user_id and not keep.user_id:
        keep.user_id = duplicate.user_id
    # E-learning completions move too (deleting the duplicate would cascade to them).
    kept = set(keep.completions.values_list("product_id", "status"))
    for completion in duplicate.completions.all():
        if (completion.product_id, completion.status) in kept:
            completion.delete()
        else:
            completion.person = keep
            completion.save(update_fields=["person", "updated_at"])
    duplicate.delete()
    keep.full_clean()
    keep.save()
    return keep
