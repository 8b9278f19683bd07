"""REST endpoints for accounts: the user directory (scoped) and token sign-in for scripts."""

from rest_framework import routers, serializers
from rest_framework.authtoken.views import ObtainAuthToken

from accounts.models import User
from accounts.views import UserFilterSet
from core.api import ScopedReadOnlyViewSet


class UserSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "role", "region", "office", "member"]


class UserViewSet(ScopedReadOnlyViewSet):
    """Users the caller may see: themselves, and their region's, centre's or administration's users."""

    queryset = User.objects.select_related("region", "office", "member")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet


class TokenView(ObtainAuthToken):
    """POST username and password; get the token to send as `Authorization: Token <key>`."""


router = routers.DefaultRouter()
router.register("users", UserViewSet)
