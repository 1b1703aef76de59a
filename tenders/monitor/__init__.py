"""The local-spend monitor (DESIGN §4.7): how much of a municipality's money stays local.

``models`` holds the imported spend lines, ``sources`` the kinds of lines that are summed (contracts
on the platform, imported spend), ``selectors`` the figures, ``importing`` the finance-export
import behind ``import_spend`` and the upload page, ``charts`` the server-rendered SVG."""
