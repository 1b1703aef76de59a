"""The tender forms, one module per page group like ``tenders.views``; import from the module
itself (``from tenders.forms.flow import TenderWhatForm``). Forms clean what people type; the
rules live in ``tenders.policy`` and ``tenders.services``.

- ``fields``: the shared fields and widgets (euros, deadlines, PDF uploads, CPV codes, the firm
  a member acts for).
- ``flow``: the buyer's step-by-step tender flow; ``changes``: extend, rectify, cancel;
  ``policy``: the municipality's policy bands.
- ``invitations``, ``documents``, ``participation`` (questions and answers), ``quotes``,
  ``award`` (scores, exclusion, award, contract, no award).
"""
