"""Editing the files people also edit by hand: minimal text edits, one transaction per command."""
