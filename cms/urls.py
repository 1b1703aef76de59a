from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from cms import views

# Wagtail serves paths that end in a slash; these files are named in DESIGN §6.
urlpatterns = [
    path("speerpunten/boekje.pdf", views.booklet, name="booklet"),
    path("nieuws/feed.atom", views.news_feed, name="news_feed"),
    path("bijeenkomsten/<slug:slug>/agenda.ics", views.event_ical, name="event_ical"),
    path("zoeken/", views.search, name="site_search"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
