#!/usr/bin/env python3
"""Writes a synthetic scenario with N places on a ring of roads (for determinism and scale
tests): every place has people, so every place draws births and deaths every day in the
parallel demography phase. Usage: make_big_scenario.py N DAYS OUT.yaml"""
import sys

n, days, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    f.write("scenario:\n  name: big\n  start: 1125-10-01\n")
    # end date: start + days (Julian); keep it simple with a day count under a year
    import datetime
    # proleptic Gregorian arithmetic on the same month/day numbers is fine for < 1 year
    # away from February 29 issues: 1125 is not a leap year in either calendar.
    end = datetime.date(1125, 10, 1) + datetime.timedelta(days=days)
    f.write(f"  end: {end.isoformat()}\n  seed: 2024\n  output: {{every_days: 5}}\n")
    f.write("factions:\n  a: {name: A}\n  b: {name: B}\n")
    f.write("places:\n")
    for i in range(n):
        lat = 20 + (i % 400) * 0.05
        lon = 100 + (i // 400) * 0.05
        owner = "a" if i % 2 == 0 else "b"
        f.write(f"  p{i}: {{lat: {lat:.3f}, lon: {lon:.3f}, owner: {owner}, "
                f"population: {{persons: {1000 + (i * 7919) % 50000}}}}}\n")
    f.write("routes:\n")
    for i in range(n):
        f.write(f"  r{i}: {{from: p{i}, to: p{(i + 1) % n}, km: 20}}\n")
