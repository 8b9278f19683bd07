from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/file/", views.DocumentFileView.as_view(), name="document_file"),
    path("suggestions/<int:pk>/", views.SuggestionDecideView.as_view(), name="suggestion_decide"),
]
