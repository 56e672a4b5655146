"""A cell's value as a backend reads it and the domain parses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Union

Value = Union[str, int, float, Decimal, dt.date, dt.datetime, bool, None]
