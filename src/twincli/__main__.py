"""`python -m twincli` runs the command line."""

from twincli.cli import main

main()
