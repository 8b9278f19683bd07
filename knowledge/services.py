"""Curation rules of the knowledge base."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import Action, can
from knowledge.models import SuggestionStatus, TopicSuggestion


@transaction.atomic
def topic_suggestion_decide(*, user, suggestion: TopicSuggestion, confirm: bool) -> TopicSuggestion:
    if not can(user, Action.CHANGE, suggestion):
        raise ValidationError(_("You may not curate this document's topics."))
    suggestion.status = SuggestionStatus.CONFIRMED if confirm else SuggestionStatus.REJECTED
    suggestion.decided_by = user
    suggestion.save(update_fields=["status", "decided_by", "updated_at"])
    if confirm:
        suggestion.document.topics.add(suggestion.topic)
    return suggestion
