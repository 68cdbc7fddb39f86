"""Checking a programme: validation, the rules, changed files, and the formats of the findings."""
