"""``python3 -m jinsong_analysis``: the command line (see cli.py)."""
import sys

from .cli import main

sys.exit(main())
