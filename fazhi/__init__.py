"""Fazhi (法治): the township rule-of-law government work platform."""
