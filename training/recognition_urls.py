"""The recognition pages, included inside the `training` namespace (no app_name of their own):
`path("recognition/", include("training.recognition_urls"))` in training/urls.py."""

from django.urls import path

from training import recognition_views as views

urlpatterns = [
    path("", views.RecognisedListView.as_view(), name="recognition_list"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application_add"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application_edit"),
    path("applications/<int:pk>/courses/", views.CourseAddView.as_view(), name="application_course_add"),
    path("courses/<int:pk>/delete/", views.CourseDeleteView.as_view(), name="application_course_delete"),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("applications/<int:pk>/renew/", views.ApplicationRenewView.as_view(), name="application_renew"),
    path(
        "applications/<int:pk>/reviewers/",
        views.ReviewerAssignView.as_view(),
        name="application_reviewer_assign",
    ),
    path("applications/<int:pk>/review/", views.ReviewView.as_view(), name="application_review"),
    path("applications/<int:pk>/decide/", views.DecideView.as_view(), name="application_decide"),
]
