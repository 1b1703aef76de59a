"""URLs under /alerts/ (DESIGN §6)."""

from django.urls import path

from tenders.alerts import views
from tenders.alerts.feeds import SubscriptionFeed

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_new, name="new"),
    path("<int:pk>/", views.alert_edit, name="edit"),
    path("<int:pk>/pause/", views.alert_pause, name="pause"),
    path("feed/<str:token>.atom", SubscriptionFeed(), name="feed"),
    path("unsubscribe/<str:token>/", views.alert_unsubscribe, name="unsubscribe"),
    path("<int:pk>/delete/", views.alert_delete, name="delete"),
]
