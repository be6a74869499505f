"""Run the command line as ``python -m graph``."""

from .cli import main

main()
