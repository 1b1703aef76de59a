"""Pages of the suppliers app: firm profiles and registration, and supplier search."""
