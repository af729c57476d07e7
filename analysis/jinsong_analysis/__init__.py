"""jinsong_analysis: read, plot, score and analyse the HDF5 outputs of the jinsong simulator.

>>> from jinsong_analysis import open_run, events, open_ensemble
>>> run = open_run("results/jingkang.h5")
>>> run["places"].population          # an xarray DataArray (time, place), Julian dates
>>> events("results/jingkang.h5")     # a pandas DataFrame, one row per event

Command line: ``python3 -m jinsong_analysis report|score|sensitivity ...`` (see ``--help``).
"""
from .ensemble import Ensemble, open_ensemble
from .errors import UserError
from .load import Run, events, open_run

__version__ = "0.1.0"
__all__ = ["open_run", "events", "open_ensemble", "Run", "Ensemble", "UserError"]
