from django.urls import path

from experts import views

app_name = "experts"

urlpatterns = [
    path("", views.ExpertListView.as_view(), name="expert_list"),
    path("add/", views.ExpertAddView.as_view(), name="expert_add"),
    path("me/", views.MyProfileView.as_view(), name="my_profile"),
    path("waiting/", views.WaitingView.as_view(), name="waiting"),
    path("import/", views.RosterImportView.as_view(), name="roster_import"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("plan/<int:job_pk>/", views.PlanView.as_view(), name="plan_result"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="expert_detail"),
    path("<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert_edit"),
    path("<int:pk>/<slug:part>/", views.ProfilePartView.as_view(), name="profile_part"),
    path("pools/", views.PoolListView.as_view(), name="pool_list"),
    path("pools/<int:pk>/", views.PoolDetailView.as_view(), name="pool_detail"),
    path("activities/<int:activity_pk>/slots/", views.SlotCreateView.as_view(), name="slot_add"),
    path("slots/<int:pk>/", views.SlotDetailView.as_view(), name="slot_detail"),
    path("slots/<int:pk>/propose/", views.ProposeView.as_view(), name="propose"),
    path("deployments/<int:pk>/", views.DeploymentDetailView.as_view(), name="deployment_detail"),
    path("deployments/<int:pk>/rate/", views.EvaluationView.as_view(), name="rate"),
    path("deployments/<int:pk>/<slug:step>/", views.DeploymentStepView.as_view(), name="deployment_step"),
    path("evaluations/<int:pk>/disagree/", views.DisagreeView.as_view(), name="disagree"),
]
