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
]
