"""The tender pages' benchmarks: tools, not the product (DESIGN §3); only the ``benchmark`` command
imports them.

``tenders`` generates the tenders; ``pages`` is ``benchmark pages`` and the URLconf it installs."""
