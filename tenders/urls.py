"""URLs of the tenders app (DESIGN §6 pages): public pages, the buyer's pages and the PDFs."""

from django.urls import path

from tenders.views import buyer, documents, participation, pdfs, public

app_name = "tenders"

urlpatterns = [
    # Public (visibility by tenders.selectors).
    path("", public.tender_list, name="list"),
    path("<int:pk>/", public.tender_detail, name="detail"),
    path("<int:pk>/aankondiging.pdf", pdfs.tender_notice_pdf, name="notice_pdf"),
    path(
        "<int:pk>/nota-van-inlichtingen.pdf",
        pdfs.clarification_notice_pdf,
        name="clarification_pdf",
    ),
    path("<int:pk>/documents/<int:document_pk>/", documents.document_download, name="document"),
    # Firms.
    path("<int:pk>/follow/", participation.tender_follow, name="follow"),
    path("<int:pk>/questions/ask/", participation.question_ask, name="question_ask"),
    # Buyers.
    path("mine/", buyer.buyer_dashboard, name="dashboard"),
    path("policy/", buyer.policy_bands, name="policy"),
    path("new/", buyer.tender_create, name="create"),
    path("<int:pk>/edit/<slug:step>/", buyer.tender_edit, name="edit"),
    path("<int:pk>/publish/", buyer.tender_publish, name="publish"),
    path("<int:pk>/extend/", buyer.tender_extend, name="extend"),
    path("<int:pk>/rectify/", buyer.tender_rectify, name="rectify"),
    path("<int:pk>/cancel/", buyer.tender_cancel, name="cancel"),
    path("<int:pk>/documents/add/", documents.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
    path("<int:pk>/questions/", participation.question_list_buyer, name="questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        participation.question_answer,
        name="question_answer",
    ),
    path("<int:pk>/questions/publish/", participation.answers_publish, name="answers_publish"),
]
