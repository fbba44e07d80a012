"""Peak-hour staffing: the application layer.

It owns the domain model (a store folder), maps it onto the independent :mod:`forecasts` and
:mod:`solver` libraries, and provides the pipeline, KPIs, exports and the ``staffing`` CLI.
Import submodules for the details; the names below are the common entry points.
"""

from staffing.errors import InputError, Problem
from staffing.loader import load_store
from staffing.model import Channel, ChannelKind, Employee, Store, StoreData

__all__ = [
    "Channel",
    "ChannelKind",
    "Employee",
    "InputError",
    "Problem",
    "Store",
    "StoreData",
    "load_store",
]
