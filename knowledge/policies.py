"""Who sees which documents. Public ones: everyone. Whole-network ones: every signed-in user.
Region ones: users of that region. Restricted ones: the named users and the staff of named offices.
Meeting-participant ones: whom the meetings app names. Uploaders always see their own. The rules are
Q objects, so search applies them inside its queries."""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from core.permissions import ALL, ANY_ROLE, Action, Policy, register_policy
from knowledge.models import Chunk, Document, DocumentVersion, TopicSuggestion, Visibility

# Audiences another app defines: visibility -> grant(user) -> Q over Document. The knowledge base
# does not know who takes part in a meeting; the meetings app does, and registers it here.
AUDIENCES: dict[str, Callable] = {}


def register_audience(visibility: str, grant: Callable) -> None:
    AUDIENCES[visibility] = grant


def documents_they_may_see(user) -> Q:
    through_users = Document.restricted_users.through.objects.filter(document=OuterRef("pk"), user=user.pk)
    through_offices = Document.restricted_offices.through.objects.filter(
        document=OuterRef("pk"), office=user.office_id
    )
    named = Q(Exists(through_users))
    if user.office_id:
        named |= Q(Exists(through_offices))
    visible = Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]) | Q(uploaded_by=user.pk)
    if user.region_id:
        visible |= Q(visibility=Visibility.REGION, region=user.region_id)
    visible |= Q(visibility=Visibility.RESTRICTED) & named
    for visibility, grant in AUDIENCES.items():
        visible |= Q(visibility=visibility) & grant(user)
    return visible


def of_visible_documents(user) -> Q:
    return Q(document__in=Document.objects.restrict(user, Action.VIEW).values("pk"))


def register() -> None:
    register_policy(
        Document,
        Policy(
            public=Q(visibility=Visibility.PUBLIC),
            view={ANY_ROLE: documents_they_may_see},
            add={ANY_ROLE: ALL},
            change={ANY_ROLE: lambda user: Q(uploaded_by=user.pk), Role.ROCB_OFFICER: "region"},
            delete={ANY_ROLE: lambda user: Q(uploaded_by=user.pk), Role.ROCB_OFFICER: "region"},
        ),
    )
    for model in (DocumentVersion, Chunk):
        register_policy(
            model,
            Policy(public=Q(document__visibility=Visibility.PUBLIC), view={ANY_ROLE: of_visible_documents}),
        )
    register_policy(
        TopicSuggestion,
        Policy(
            public=Q(document__visibility=Visibility.PUBLIC),
            view={ANY_ROLE: of_visible_documents},
            change={
                ANY_ROLE: lambda user: Q(document__uploaded_by=user.pk),
                Role.ROCB_OFFICER: "document__region",
            },
        ),
    )
