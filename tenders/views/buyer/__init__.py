"""The buyer's pages, one module per part: ``dashboard`` (the organisation's tenders), ``flow``
(the step-by-step tender flow up to publishing), ``changes`` (extend, rectify, cancel a published
tender) and ``policy`` (the municipality's policy bands)."""
