from django.urls import path

from . import views_documents, views_import, views_scope

app_name = "reports"
urlpatterns = [
    path("positionnements/<int:pk>/rapport.pdf", views_documents.assessment_pdf, name="assessment_pdf"),
    path("positionnements/<int:pk>/tableur.xlsx", views_documents.assessment_xlsx, name="assessment_xlsx"),
    path("positionnements/<int:pk>/importer/", views_import.import_upload, name="import_upload"),
    path(
        "positionnements/<int:pk>/importer/<int:import_pk>/", views_import.import_review, name="import_review"
    ),
    path("campagnes/<int:pk>/export-domaines.csv", views_scope.scope_domains_csv, name="scope_domains_csv"),
    path("campagnes/<int:pk>/export-criteres.csv", views_scope.scope_criteria_csv, name="scope_criteria_csv"),
    path("campagnes/<int:pk>/rapports/", views_scope.scope_zip, name="scope_zip"),
    path("rapports/lots/<int:pk>/", views_scope.job_detail, name="job"),
    path("rapports/lots/<int:pk>/telecharger/", views_scope.job_download, name="job_download"),
    path(
        "referentiels/<slug:slug>/<str:version>/questionnaire.pdf",
        views_documents.questionnaire,
        name="questionnaire",
    ),
]
