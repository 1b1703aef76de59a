"""The suppliers' pages: search, firm profiles, registration and invitations."""

from django.urls import path

from suppliers.views import profiles, search

app_name = "suppliers"
urlpatterns = [
    path("", search.supplier_search, name="search"),
    path("register/", profiles.firm_register, name="register"),
    path("invitations/<str:token>/", profiles.invitation_accept, name="invitation_accept"),
    path("<str:kvk_number>/", profiles.firm_detail, name="detail"),
    path("<str:kvk_number>/edit/", profiles.firm_edit, name="edit"),
    path("<str:kvk_number>/invite/", profiles.firm_invite, name="invite"),
]
