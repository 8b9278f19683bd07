from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [path("<int:pk>/", views.JobDetailView.as_view(), name="job_detail")]
