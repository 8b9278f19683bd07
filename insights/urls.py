from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("topics/", views.TopicMapView.as_view(), name="topic_map"),
]
