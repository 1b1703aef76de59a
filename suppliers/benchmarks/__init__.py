"""The supplier index's benchmarks: tools, not the product (DESIGN §3); only the ``benchmark``
command and the tenders benchmarks import them.

``firms`` generates the firms, ``measuring`` holds what every benchmark shares (a throwaway
database, percentiles), ``search`` is ``benchmark search``."""
