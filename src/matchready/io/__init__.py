"""Adapters for files: program templates, ACGME records, NRMP code lists."""
