"""Enforcement pages, by subject: cases, inspections, registry (catalogues), publication."""
