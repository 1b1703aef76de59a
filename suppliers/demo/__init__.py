"""Demo firms: tools, not the product (DESIGN §3); ``seed_demo`` and the benchmarks use them."""
