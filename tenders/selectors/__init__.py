"""Reads with rules, one module per subject; import from the module itself
(``from tenders.selectors.visibility import get_tender_for_viewer``).

- ``visibility``: who may see which tender (pages, API, feeds and PDFs alike).
- ``memberships``: who buys for which organisation, and which firms a user acts for.
"""
