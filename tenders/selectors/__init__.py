"""Reads with rules, one module per subject; import from the module itself
(``from tenders.selectors.visibility import get_tender_for_viewer``).

- ``visibility``: who may see which tender (pages, API, feeds and PDFs alike).
- ``memberships``: who buys for which organisation, and which firms a user acts for.
- ``quotes``: who may quote, whether a tender takes quotes, and which quote of a firm counts.
- ``questions``: whether a tender takes questions, and what keeps it from closing.
- ``vault``: a quote's sealed form and its contents, readable only after the opening.
- ``invitations``: a shortlist's firms as seen from the tender, the next candidates, the
  justification.
- ``award``: the ranking, the standstill period, the award decision and the contract.
"""
