from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import TokenView
from accounts.api import router as accounts_router
from accounts.views import ThrottledPasswordResetView
from activities.api import router as activities_router
from conferences.api import router as conferences_router
from core.views import SearchView, healthz
from experts.api import router as experts_router
from funding.api import router as funding_router
from insights.views import HomeView as InsightsHomeView
from knowledge.api import SearchView as KnowledgeSearchView
from knowledge.api import router as knowledge_router
from meetings.api import router as meetings_router
from network.api import router as network_router
from people.api import router as people_router
from results.api import ProgrammeIatiView
from results.api import router as results_router
from surveys.api import router as surveys_router
from topics.api import router as topics_router
from training.api import router as training_router
from training.xapi import StatementsView

api_patterns = [
    path("network/", include(network_router.urls)),
    path("accounts/", include(accounts_router.urls)),
    path("topics/", include(topics_router.urls)),
    path("activities/", include(activities_router.urls)),
    path("people/", include(people_router.urls)),
    path("funding/", include(funding_router.urls)),
    path("knowledge/search/", KnowledgeSearchView.as_view(), name="api-knowledge-search"),
    path("knowledge/", include(knowledge_router.urls)),
    path("experts/", include(experts_router.urls)),
    path("surveys/", include(surveys_router.urls)),
    path("conferences/", include(conferences_router.urls)),
    path("meetings/", include(meetings_router.urls)),
    path("results/programmes/<int:pk>/iati/", ProgrammeIatiView.as_view(), name="api-results-iati"),
    path("results/", include(results_router.urls)),
    path("training/xapi/statements", StatementsView.as_view(), name="api-training-xapi-statements"),
    path("training/", include(training_router.urls)),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file: the Content-Security-Policy forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", InsightsHomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", SearchView.as_view(), name="search"),
    path("network/", include("network.urls")),
    path("topics/", include("topics.urls")),
    path("activities/", include("activities.urls")),
    path("people/", include("people.urls")),
    path("funding/", include("funding.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("experts/", include("experts.urls")),
    path("surveys/", include("surveys.urls")),
    path("insights/", include("insights.urls")),
    path("conferences/", include("conferences.urls")),
    path("meetings/", include("meetings.urls")),
    path("results/", include("results.urls")),
    path("training/", include("training.urls")),
    path("jobs/", include("jobs.urls")),
    path("accounts/", include("accounts.urls")),
    # Before Django's auth URLs: the password reset form is throttled.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
]

handler400 = "core.middleware.bad_request"
handler404 = "core.middleware.not_found"
# A database that is away answers 503 (core/errors.py), anything else the 500 page.
handler500 = "core.errors.server_error"
