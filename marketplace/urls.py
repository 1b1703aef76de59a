"""Dichtbij's URLs; Wagtail serves every path not named here."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from marketplace import views
from marketplace.api import api
from suppliers.api import router as suppliers_api
from tenders.api import router as tenders_api
from tenders.monitor.api import router as monitor_api

api.add_router("", suppliers_api)
api.add_router("", tenders_api)
api.add_router("", monitor_api)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("favicon.ico", views.favicon),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/audit/", views.organisation_audit, name="organisation_audit"),
    path(
        "organisations/<slug:slug>/audit.csv",
        views.organisation_audit_csv,
        name="organisation_audit_csv",
    ),
    path("suppliers/", include("suppliers.urls")),
    path("tenders/", include("tenders.urls")),
    path("alerts/", include("tenders.alerts.urls")),
    path("monitor/", include("tenders.monitor.urls")),
    path("", include("cms.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
