from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("", views.ConferenceListView.as_view(), name="conference_list"),
    path("add/", views.ConferenceCreateView.as_view(), name="conference_add"),
    path("<int:pk>/", views.ConferenceDetailView.as_view(), name="conference_detail"),
    path("<int:pk>/calls/add/", views.CallCreateView.as_view(), name="call_add"),
    path("<int:pk>/programme/", views.ProgrammeView.as_view(), name="programme"),
    path("<int:pk>/programme.ics", views.ProgrammeFeedView.as_view(), name="programme_ics"),
    path("<int:pk>/programme/sessions/", views.SessionAddView.as_view(), name="session_add"),
    path("sessions/<int:pk>/delete/", views.SessionDeleteView.as_view(), name="session_delete"),
    path("calls/<int:pk>/", views.CallDetailView.as_view(), name="call_detail"),
    path("calls/<int:pk>/status/", views.CallStatusView.as_view(), name="call_status"),
    path("calls/<int:pk>/submit/", views.SubmissionCreateView.as_view(), name="submission_add"),
    path("calls/<int:pk>/assign/", views.CallAssignView.as_view(), name="call_assign"),
    path("calls/<int:pk>/assignments/", views.CallAssignmentsView.as_view(), name="call_assignments"),
    path("calls/<int:pk>/conflict-check/", views.ConflictCheckView.as_view(), name="conflict_check"),
    path("calls/<int:pk>/audit/", views.CallAuditView.as_view(), name="call_audit"),
    path("calls/<int:pk>/reviews.<str:fmt>", views.CallReviewsExportView.as_view(), name="reviews_export"),
    path("phases/<int:pk>/activate/", views.PhaseActivateView.as_view(), name="phase_activate"),
    path("phases/<int:pk>/edit/", views.PhaseEditView.as_view(), name="phase_edit"),
    path("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.SubmissionEditView.as_view(), name="submission_edit"),
    path("submissions/<int:pk>/authors/", views.AuthorAddView.as_view(), name="author_add"),
    path(
        "submissions/<int:pk>/authors/<int:authorship_pk>/remove/",
        views.AuthorRemoveView.as_view(),
        name="author_remove",
    ),
    path("submissions/<int:pk>/files/", views.FileUploadView.as_view(), name="file_upload"),
    path("submissions/<int:pk>/files/<int:number>/", views.FileDownloadView.as_view(), name="file_download"),
    path("submissions/<int:pk>/submit/", views.SubmissionSubmitView.as_view(), name="submission_submit"),
    path(
        "submissions/<int:pk>/withdraw/", views.SubmissionWithdrawView.as_view(), name="submission_withdraw"
    ),
    path("submissions/<int:pk>/conflicts/", views.DeclareConflictView.as_view(), name="conflict_declare"),
    path("submissions/<int:pk>/bid/", views.BidView.as_view(), name="bid"),
    path("submissions/<int:pk>/review/", views.ReviewSaveView.as_view(), name="review_save"),
    path("submissions/<int:pk>/comments/", views.CommentView.as_view(), name="comment"),
    path("submissions/<int:pk>/decision/", views.DecisionView.as_view(), name="decision"),
    path("submissions/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path(
        "submissions/<int:pk>/assignments/<int:assignment_pk>/remove/",
        views.UnassignView.as_view(),
        name="unassign",
    ),
    path("submissions/<int:pk>/pin/", views.PinView.as_view(), name="pin"),
    path("my/", views.MyConferenceWorkView.as_view(), name="my_reviews"),
    path("reviewers/", views.ReviewerListView.as_view(), name="reviewer_list"),
    path("reviewers/<int:pk>/", views.ReviewerDetailView.as_view(), name="reviewer_detail"),
    path(
        "standing-conflicts/<int:pk>/remove/",
        views.StandingConflictRemoveView.as_view(),
        name="standing_conflict_remove",
    ),
    path("recommend/", views.RecommendView.as_view(), name="recommend"),
    path("research-to-practice/", views.ResearchToPracticeView.as_view(), name="research_to_practice"),
    path("research-to-practice/propose/", views.WorkshopProposeView.as_view(), name="workshop_propose"),
]
