"""The app process's memory after a run: what imports made is moved out of the garbage collector's sight."""
from __future__ import annotations

import gc
import sys

_settled_modules = 0


def settle_memory() -> None:
    """Move what the imports made (hundreds of thousands of objects: pandas, plotly, SQLAlchemy) out
    of the garbage collector's sight, once after each run that imported something new. Every
    collection used to walk them all again; Streamlit's full collection after each run is switched
    off in .streamlit/config.toml for the same reason. (Only the cycle collector skips frozen
    objects; memory without cycles is freed as always.)"""
    global _settled_modules
    if len(sys.modules) != _settled_modules:
        gc.freeze()
        _settled_modules = len(sys.modules)
