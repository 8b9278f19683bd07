from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/file/", views.DocumentFileView.as_view(), name="document_file"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("documents/<int:pk>/version/", views.DocumentVersionView.as_view(), name="document_version"),
    path("suggestions/<int:pk>/", views.SuggestionDecideView.as_view(), name="suggestion_decide"),
]
