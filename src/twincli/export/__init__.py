"""Data for other tools: CSV, JSON, iCalendar and the JSON Schemas of the files."""
