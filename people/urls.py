from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("merge/", views.MergeView.as_view(), name="merge"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
]
