"""twincli: run NetZeroCities' Twinning Learning Programme out of a git repository."""

__version__ = "0.1.0"
