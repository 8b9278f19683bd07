"""Demo users, one per role, for `make run` and the browser tests."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from network.models import Member, Office, Region

DEMO_PASSWORD = "cbhub-demo-2026"

# username, role, full name, (scope kind, natural key)
DEMO_USERS = [
    ("secretariat", Role.SECRETARIAT, "Sam Secretariat", None),
    ("rocb.ap", Role.ROCB_OFFICER, "Asha ROCB Asia/Pacific", ("region", "A/P")),
    ("rtc.japan", Role.RTC_COORDINATOR, "Kenji RTC Japan", ("office", "rtc-japan")),
    ("focal.kenya", Role.FOCAL_POINT, "Wanjiru Focal Point Kenya", ("member", "KE")),
    ("expert", Role.EXPERT, "Elena Expert", ("member", "ES")),
    ("researcher", Role.RESEARCHER, "Rafael Researcher", None),
    ("donor", Role.DONOR, "Dana Donor", None),
]


def _scope(scope) -> dict:
    if scope is None:
        return {}
    kind, key = scope
    if kind == "region":
        return {"region": Region.objects.get(code=key)}
    if kind == "office":
        return {"office": Office.objects.get(code=key)}
    return {"member": Member.objects.get(iso_alpha2=key)}


def demo_users_create() -> list[tuple[User, str]]:
    """Create or refresh the demo users; needs the reference data loaded first."""
    created = []
    for username, role, full_name, scope in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.org"
        user.is_staff = role == Role.SECRETARIAT
        user.set_password(DEMO_PASSWORD)
        user_set_role(user=user, role=role, **_scope(scope))
        created.append((user, DEMO_PASSWORD))
    return created
