"""Thin entry point: ``python build.py [PATH…] [--store DIR]`` runs ``kg build``."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
