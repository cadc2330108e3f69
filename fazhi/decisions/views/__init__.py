"""Thin views: selector → form → service → render. Split by subject."""
