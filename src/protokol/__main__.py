"""`python -m protokol` runs the command line."""

from .cli.main import run

if __name__ == "__main__":  # importing the module (pkgutil.walk_packages, a test) must not run the program
    run()
