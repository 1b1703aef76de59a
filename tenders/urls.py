"""URLs of the tenders app (DESIGN §6 pages): public pages, the buyer's pages and the PDFs."""

from django.urls import path

from tenders.alerts.calendars import tender_agenda
from tenders.alerts.feeds import TenderSearchFeed
from tenders.views import (
    audit,
    award,
    documents,
    firm,
    invitations,
    participation,
    pdfs,
    public,
    quotes,
)
from tenders.views.buyer import changes, dashboard, flow, policy

app_name = "tenders"

urlpatterns = [
    # Public (visibility by tenders.selectors.visibility).
    path("", public.tender_list, name="list"),
    path("feed.atom", TenderSearchFeed(), name="feed"),
    path("<int:pk>/", public.tender_detail, name="detail"),
    path("<int:pk>/agenda.ics", tender_agenda, name="agenda"),
    path("<int:pk>/aankondiging.pdf", pdfs.tender_notice_pdf, name="notice_pdf"),
    path(
        "<int:pk>/nota-van-inlichtingen.pdf",
        pdfs.clarification_notice_pdf,
        name="clarification_pdf",
    ),
    path("<int:pk>/gunning.pdf", award.award_notice_pdf, name="award_pdf"),
    path("<int:pk>/documents/<int:document_pk>/", documents.document_download, name="document"),
    # Firms.
    path("<int:pk>/follow/", participation.tender_follow, name="follow"),
    path("<int:pk>/questions/ask/", participation.question_ask, name="question_ask"),
    path("firm/", firm.firm_dashboard, name="firm_dashboard"),
    path("<int:pk>/quote/", quotes.quote_submit, name="quote_submit"),
    path("<int:pk>/quote/withdraw/", quotes.quote_withdraw, name="quote_withdraw"),
    path("<int:pk>/quote/receipt/<str:code>/", quotes.quote_receipt, name="quote_receipt"),
    # Buyers.
    path("mine/", dashboard.buyer_dashboard, name="dashboard"),
    path("policy/", policy.policy_bands, name="policy"),
    path("new/", flow.tender_create, name="create"),
    path("<int:pk>/edit/<slug:step>/", flow.tender_edit, name="edit"),
    path("<int:pk>/publish/", flow.tender_publish, name="publish"),
    path("<int:pk>/extend/", changes.tender_extend, name="extend"),
    path("<int:pk>/rectify/", changes.tender_rectify, name="rectify"),
    path("<int:pk>/cancel/", changes.tender_cancel, name="cancel"),
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
    # Invitations (the assistant) and the municipality's rules for them.
    path("policy/invitations/", invitations.procurement_policy, name="procurement_policy"),
    path("<int:pk>/invitations/", invitations.invitation_list, name="invitations"),
    path(
        "<int:pk>/invitations/propose/", invitations.invitations_propose, name="invitations_propose"
    ),
    path("<int:pk>/invitations/add/", invitations.invitation_add, name="invitation_add"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/replace/",
        invitations.invitation_replace,
        name="invitation_replace",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/remove/",
        invitations.invitation_remove,
        name="invitation_remove",
    ),
    path(
        "<int:pk>/invitations/justification.csv",
        invitations.justification_csv,
        name="invitations_csv",
    ),
    # The vault: opening and the opened quotes.
    path("<int:pk>/opening/", quotes.vault_opening, name="opening"),
    path("<int:pk>/quotes/", quotes.quote_list_buyer, name="quotes"),
    path(
        "<int:pk>/quotes/<int:quote_pk>/files/<int:file_pk>/",
        quotes.quote_file_download,
        name="quote_file",
    ),
    # Evaluation, award, contract.
    path("<int:pk>/evaluation/", award.evaluation, name="evaluation"),
    path("<int:pk>/award/", award.award_decide, name="award"),
    path("<int:pk>/contract/", award.contract_record, name="contract"),
    path("<int:pk>/unsuccessful/", award.tender_unsuccessful, name="unsuccessful"),
    # The tender's audit trail.
    path("<int:pk>/audit/", audit.tender_audit, name="audit"),
    path("<int:pk>/audit.csv", audit.tender_audit_csv, name="audit_csv"),
]
