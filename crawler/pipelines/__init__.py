"""Item pipelines: extract, select, store (thin glue over the pure packages)."""
