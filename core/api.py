"""Base API pieces. Every model endpoint derives from ScopedModelViewSet, which restricts its
queryset by the user and the action the HTTP method stands for, and writes through the services."""

from __future__ import annotations

from rest_framework import viewsets

from core import services
from core.permissions import Action, get_scoped_object

ACTION_FOR_METHOD = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD on one model, inside the caller's scope; writes go through the record services."""

    def permission_action(self) -> Action:
        return ACTION_FOR_METHOD.get(self.request.method, Action.VIEW)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.permission_action())

    def get_object(self):
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = get_scoped_object(super().get_queryset(), self.request.user, self.permission_action(), **lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def perform_create(self, serializer):
        model = self.get_serializer_class().Meta.model
        serializer.instance = services.record_create(
            user=self.request.user, model=model, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.record_update(
            user=self.request.user, instance=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.record_delete(user=self.request.user, instance=instance)


class ScopedReadOnlyViewSet(ScopedModelViewSet):
    http_method_names = ["get", "head", "options"]
