from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/forms/<str:kind>/", views.MeetingFormView.as_view(), name="meeting_form"),
    path("<int:pk>/invitations/", views.InvitationAddView.as_view(), name="invitation_add"),
    path("<int:pk>/items/", views.ItemAddView.as_view(), name="item_add"),
    path("<int:pk>/minutes/", views.MinutesSaveView.as_view(), name="minutes_save"),
    path("<int:pk>/minutes.<str:fmt>", views.MinutesDocumentView.as_view(), name="minutes_document"),
    path("<int:pk>/minutes/circulate/", views.MinutesCirculateView.as_view(), name="minutes_circulate"),
    path("<int:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes_approve"),
    path("<int:pk>/minutes/amendments/", views.AmendmentAddView.as_view(), name="amendment_add"),
    path("amendments/<int:pk>/decide/", views.AmendmentDecideView.as_view(), name="amendment_decide"),
    path("invitations/<int:pk>/", views.InvitationUpdateView.as_view(), name="invitation_update"),
    path("items/<int:pk>/forms/<str:kind>/", views.ItemFormView.as_view(), name="item_form"),
    path("items/<int:pk>/summary/", views.ItemSummaryView.as_view(), name="item_summary"),
    path("items/<int:pk>/decisions/", views.DecisionAddView.as_view(), name="decision_add"),
    path("items/<int:pk>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path("decisions/<int:pk>/move/", views.DecisionMoveView.as_view(), name="decision_move"),
    path("actions/", views.OurActionsView.as_view(), name="our_actions"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/progress/", views.ActionProgressView.as_view(), name="action_progress"),
    path("actions/<int:pk>/evidence/", views.ActionEvidenceView.as_view(), name="action_evidence"),
    path("actions/<int:pk>/activity/", views.ActionToActivityView.as_view(), name="action_activity"),
    path("committees/<int:pk>/", views.CommitteeMeetingsView.as_view(), name="committee_meetings"),
    path(
        "committees/<int:pk>/calendar.ics", views.CommitteeCalendarView.as_view(), name="committee_calendar"
    ),
    path("regions/<str:code>/", views.RegionMeetingsView.as_view(), name="region_meetings"),
    path("regions/<str:code>/calendar.ics", views.RegionCalendarView.as_view(), name="region_calendar"),
]
