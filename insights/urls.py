from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("topics/", views.TopicMapView.as_view(), name="topic_map"),
    path("activities/<int:pk>/study-paper/", views.StudyPaperView.as_view(), name="study_paper"),
    path(
        "activities/<int:pk>/study-paper/compile/",
        views.StudyPaperCompileView.as_view(),
        name="study_paper_compile",
    ),
    path(
        "activities/<int:pk>/study-paper/upload/",
        views.StudyPaperUploadView.as_view(),
        name="study_paper_upload",
    ),
    path(
        "study-papers/<int:job_pk>/draft.docx",
        views.StudyPaperFileView.as_view(),
        {"fmt": "docx"},
        name="study_paper_docx",
    ),
    path(
        "study-papers/<int:job_pk>/draft.pdf",
        views.StudyPaperFileView.as_view(),
        {"fmt": "pdf"},
        name="study_paper_pdf",
    ),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/report.<str:fmt>", views.ReportFileView.as_view(), name="report_file"),
    path("reports/<int:pk>/approve/", views.ReportApproveView.as_view(), name="report_approve"),
]
