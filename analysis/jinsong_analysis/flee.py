"""The UNHCR camp counts of a FLEE scenario folder (``source_data/`` and
``input_csv/registration_corrections.csv``, ``input_csv/sim_period.csv``), read as FLEE reads them:
linear interpolation truncated to whole persons, the first value before the first date and the last
after the last, level-1 registrations corrected. An ARD target with ``observed_flee: DIR`` compares
every day 1 … Length with them — FLEE's averaged relative difference (the same figures as
``jinsong flee-score``, computed independently). Formats: ../shared/research/flee-rules.md §2.6–2.7."""
import csv
import datetime as dt
import math
import os

from .errors import UserError


def _rows(path):
    """(line, fields) of a CSV file, fields stripped; empty rows left out."""
    if not os.path.isfile(path):
        raise UserError(f"no such file {path}", path)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for line, row in enumerate(csv.reader(f), start=1):
            row = [x.strip() for x in row]
            if any(row):
                yield line, row


def _date(text, where):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"expected a date YYYY-MM-DD, got {text!r}", where) from None


def _count_file(path, start):
    """(days, counts) of a date,count file: a header row (Date, DateTime or #...) and rows with an
    empty count are skipped, as FLEE does."""
    days, counts = [], []
    for line, row in _rows(path):
        where = f"{path}:{line}"
        if row[0].startswith("#") or (line == 1 and row[0] in ("Date", "DateTime")):
            continue
        if len(row) < 2 or row[1] == "":
            continue
        day = (_date(row[0], where) - start).days
        try:
            value = float(row[1])
        except ValueError:
            raise UserError(f"count {row[1]!r} is not a number", where) from None
        if days and day <= days[-1]:
            raise UserError(f"the date {row[0]} is not after the row before", where)
        days.append(day)
        counts.append(value)
    if not days:
        raise UserError("the file holds no counts", path)
    return days, counts


def value_at(series, t):
    """A series (days, counts) at day t, as FLEE's get_interpolated_data."""
    days, counts = series
    if t <= days[0]:
        return float(math.trunc(counts[0]))
    for k in range(1, len(days)):
        if t < days[k]:
            f = (t - days[k - 1]) / (days[k] - days[k - 1])
            return float(math.trunc(counts[k - 1] + f * (counts[k] - counts[k - 1])))
    return float(math.trunc(counts[-1]))


def _sum(a, b):
    """Two series summed at every date of either."""
    days = sorted(set(a[0]) | set(b[0]))
    return days, [value_at(a, t) + value_at(b, t) for t in days]


def read_period(folder):
    """(start date, length in days) of input_csv/sim_period.csv."""
    path = os.path.join(folder, "input_csv", "sim_period.csv")
    got = {}
    for line, row in _rows(path):
        if row[0] == "StartDate":
            got["start"] = _date(row[1], f"{path}:{line}")
        elif row[0] == "Length":
            got["length"] = int(row[1])
    if "start" not in got or "length" not in got:
        raise UserError("needs the rows StartDate,YYYY-MM-DD and Length,DAYS", path)
    return got["start"], got["length"]


def read_counts(folder):
    """The camps' series {label: (days, counts)} of a FLEE scenario folder, corrected (the
    ``total`` series is left out: FLEE's validation sums the camps)."""
    start, _ = read_period(folder)
    sd = os.path.join(folder, "source_data")
    series = {}
    for _, row in _rows(os.path.join(sd, "data_layout.csv")):
        if row[0].startswith("#"):
            continue
        files = [x for x in row[1:] if x]
        s = _count_file(os.path.join(sd, files[0]), start)
        for extra in files[1:]:
            s = _sum(s, _count_file(os.path.join(sd, extra), start))
        series[row[0]] = s
    corr = os.path.join(folder, "input_csv", "registration_corrections.csv")
    if os.path.isfile(corr):
        for line, row in _rows(corr):
            where = f"{corr}:{line}"
            if row[0] not in series:
                raise UserError(f"'{row[0]}' has no UNHCR series", where)
            days, counts = series[row[0]]
            day = (_date(row[1], where) - start).days
            if day not in days or days.index(day) == 0 or counts[days.index(day) - 1] <= 0:
                raise UserError(f"{row[1]} is not a date of {row[0]}'s series after a non-zero one",
                                where)
            at = days.index(day)
            f = counts[at] / counts[at - 1]
            for k in range(at):
                counts[k] *= f
    series.pop("total", None)
    return series


def observed_rows(folder):
    """Rows (date, {camp: count}, where) for every day 1 … Length of the scenario: what an ARD
    target with ``observed_flee`` compares the run with."""
    start, length = read_period(folder)
    series = read_counts(folder)
    where = os.path.join(folder, "source_data")
    return [((start + dt.timedelta(days=t)).isoformat(),
             {camp: value_at(s, t) for camp, s in series.items()}, where)
            for t in range(1, length + 1)]
