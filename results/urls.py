from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("programmes/<int:pk>/", views.ProgrammeResultsView.as_view(), name="programme_results"),
    path("programmes/<int:pk>/add/", views.ResultAddView.as_view(), name="result_add"),
    path("results/<int:pk>/indicators/add/", views.IndicatorAddView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/targets/", views.TargetSetView.as_view(), name="target_set"),
    path("indicators/<int:pk>/actuals/", views.ActualRecordView.as_view(), name="actual_record"),
    path("indicators/<int:pk>/rows/", views.IndicatorRowsView.as_view(), name="indicator_rows"),
    path("objectives/", views.ObjectiveListView.as_view(), name="objective_list"),
    path("objectives/<slug:code>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    # Evaluations, management responses and follow-up actions.
    path("programmes/<int:pk>/evaluations/add/", views.EvaluationAddView.as_view(), name="evaluation_add"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.EvaluationEditView.as_view(), name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/recommendations/",
        views.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path("recommendations/<int:pk>/", views.RecommendationEditView.as_view(), name="recommendation_edit"),
    path("recommendations/<int:pk>/response/", views.ResponseRecordView.as_view(), name="response_record"),
    path("recommendations/<int:pk>/actions/", views.FollowUpAddView.as_view(), name="follow_up_add"),
    path("follow-up/", views.OurFollowUpView.as_view(), name="our_follow_up"),
    path("follow-up/<int:pk>/progress/", views.FollowUpProgressView.as_view(), name="follow_up_progress"),
    # Progress reports and the risk log (results.reports).
    path("programmes/<int:pk>/reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/narrative/", views.ReportNarrativeView.as_view(), name="report_narrative"),
    path("reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/approve/", views.ReportApproveView.as_view(), name="report_approve"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report_return"),
    path("reports/<int:pk>/generate/", views.ReportGenerateView.as_view(), name="report_generate"),
    path("reports/<int:pk>/report.<str:fmt>", views.ReportFileView.as_view(), name="report_file"),
    path("programmes/<int:pk>/risks/add/", views.RiskAddView.as_view(), name="risk_add"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
]
