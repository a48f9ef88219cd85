"""Export, erasure, purge and merging of personal records, across the capabilities."""
