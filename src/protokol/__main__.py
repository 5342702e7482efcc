"""`python -m protokol` runs the command line."""

from .cli.main import run

run()
