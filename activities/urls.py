from django.urls import path

from activities import calendar, dashboards, views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("add/", views.ActivityEditView.as_view(), name="activity_add"),
    path("import/", views.ImportUploadView.as_view(), name="activity_import"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("<int:pk>/history/", views.ActivityHistoryView.as_view(), name="activity_history"),
    path("<int:pk>/transition/", views.ActivityTransitionView.as_view(), name="activity_transition"),
    path("<int:pk>/nominate/", views.NominateView.as_view(), name="nominate"),
    path("<int:pk>/import/", views.ImportUploadView.as_view(), name="nomination_import"),
    path("imports/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path("nominations/<int:pk>/decide/", views.NominationDecideView.as_view(), name="nomination_decide"),
    path("participations/", views.ParticipationListView.as_view(), name="participation_list"),
    path("participations/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("participations/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_add"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/<str:decision>/", views.RequestTriageView.as_view(), name="request_triage"),
    path("services/", views.ServiceListView.as_view(), name="service_list"),
    path("services/<int:pk>/", views.ServiceDetailView.as_view(), name="service_detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/office/<slug:code>.ics", calendar.office_feed, name="office_feed"),
    path("calendar/region/<slug:slug>.ics", calendar.region_feed, name="region_feed"),
    path("dashboard/", dashboards.DashboardView.as_view(), name="dashboard"),
]
