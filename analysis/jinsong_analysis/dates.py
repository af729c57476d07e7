"""Dates of a run: days since the start in the run's own calendar (Julian for the Song), and
matplotlib time axes labelled with those dates (matplotlib does not plot cftime dates itself).
"""
import re

import cftime
import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter

from .errors import UserError

_DATE = re.compile(r"^(-?\d{1,4})-(\d{1,2})-(\d{1,2})$")


class Calendar:
    """The time axis of a run: ``days since START`` in a CF calendar.

    :param units: the ``units`` attribute of a ``time`` coordinate (``days since 1125-10-01 00:00:00``)
    :param calendar: the CF calendar (``julian``, ``proleptic_gregorian``)
    """

    def __init__(self, units, calendar):
        self.units = units
        self.calendar = calendar
        self.start = cftime.num2date(0, units, calendar)

    def date(self, day):
        """The date of a day (a number or an array of days since the start)."""
        return cftime.num2date(day, self.units, self.calendar)

    def day(self, date):
        """Days since the start of a date (a ``cftime`` date or ``YYYY-MM-DD`` text)."""
        if isinstance(date, str):
            date = self.parse(date)
        return float(cftime.date2num(date, self.units, self.calendar))

    def parse(self, text, where=None):
        """A ``YYYY-MM-DD`` text as a date of this calendar.

        :param text: the date
        :param where: location for the error message
        """
        m = _DATE.match(str(text).strip())
        if not m:
            raise UserError(f'expected a date YYYY-MM-DD, got "{text}"', where)
        y, mo, d = (int(g) for g in m.groups())
        try:
            return cftime.datetime(y, mo, d, calendar=self.calendar)
        except ValueError:
            raise UserError(f'"{text}" is not a date of the {self.calendar} calendar', where) from None

    def label(self, day):
        """``YYYY-MM-DD`` of a day since the start."""
        return iso(self.date(day))


def iso(date):
    """``YYYY-MM-DD`` of a cftime date."""
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def _month_ticks(cal, lo, hi, max_ticks=8):
    """Days of month starts between lo and hi, thinned to at most max_ticks."""
    first, last = cal.date(lo), cal.date(hi)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for step in (1, 2, 3, 4, 6, 12, 24, 60, 120):
        if months / step <= max_ticks:
            break
    ticks = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        if (m - 1) % step == 0 and (step < 12 or (y % (step // 12 or 1)) == 0):
            d = cal.day(cftime.datetime(y, m, 1, calendar=cal.calendar))
            if lo <= d <= hi:
                ticks.append(d)
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return ticks


def date_axis(ax, cal, lo, hi, axis="x", label=None):
    """Labels an axis whose values are days since the start with the dates of the run's calendar.

    :param ax: matplotlib axes
    :param cal: the run's Calendar
    :param lo: first day shown
    :param hi: last day shown
    :param axis: "x" or "y"
    :param label: axis label (default: "date (<calendar> calendar)")
    """
    ticks = _month_ticks(cal, lo, hi)
    if len(ticks) < 2:
        ticks = list(np.linspace(lo, hi, 5))
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_major_locator(FixedLocator(ticks))
    a.set_major_formatter(FuncFormatter(lambda v, _pos: cal.label(v)))
    if axis == "x":
        ax.set_xlim(lo, hi if hi > lo else lo + 1)
        for t in ax.get_xticklabels():
            t.set_rotation(30)
            t.set_horizontalalignment("right")
        ax.set_xlabel(label or f"date ({cal.calendar} calendar)")
    else:
        ax.set_ylim(lo, hi if hi > lo else lo + 1)
        ax.set_ylabel(label or f"date ({cal.calendar} calendar)")
