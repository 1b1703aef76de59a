"""The monitor's pages (DESIGN §6): /monitor/ and /monitor/<gm_code>/ with its exports."""

from django.urls import path

from tenders.monitor import views

app_name = "monitor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:gm_code>/", views.detail, name="detail"),
    path("<str:gm_code>/export.csv", views.export_csv, name="export_csv"),
    path("<str:gm_code>/regels.jsonl", views.export_lines, name="export_lines"),
    path("<str:gm_code>/import/", views.spend_upload, name="upload"),
]
