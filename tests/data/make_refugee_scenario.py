#!/usr/bin/env python3
"""Writes a synthetic refugee scenario (for determinism and scale tests): a SIDE x SIDE grid of
places 0.3 degrees apart with roads to the 8 neighbours; the northern quarter is at war with
PERSONS persons per place who flee fast (as single persons, persons_per_agent 1); a river runs
one row south of the front, with a ferry (500 persons a day) on every fifth column and no
other way across; the southern half are refuges with limited room, the court at the bottom.
Usage:
make_refugee_scenario.py SIDE PERSONS DAYS OUT.yaml"""
import datetime
import sys

side, persons, days, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
end = datetime.date(1126, 9, 1) + datetime.timedelta(days=days)  # no Feb 29 near: fine in Julian
river = side // 4 + 1
with open(out, "w") as f:
    f.write(f"scenario: {{name: flight, start: 1126-09-01, end: {end.isoformat()}, seed: 1127,\n"
            f"           output: {{every_days: 5}}}}\n")
    f.write("migration:\n  persons_per_agent: 1\n  flight: {rate_per_day: 0.5}\n"
            "  route: {awareness: 2}\n  output: {track_every: 1000, track_max: 500}\n")
    f.write("factions:\n  song: {name: Song, capital: " + f"p{side - 1}_{side // 2}" + "}\n")
    f.write("places:\n")
    for y in range(side):
        for x in range(side):
            extra = ""
            if y < side // 4:
                extra = f", conflict: 1, population: {{persons: {persons}}}"
            elif y >= side // 2:
                extra = ", migration: {type: refuge, capacity: 30000}"
            f.write(f"  p{y}_{x}: {{lat: {40 - 0.3 * y:.2f}, lon: {110 + 0.3 * x:.2f}, "
                    f"owner: song{extra}}}\n")
    f.write("routes:\n")
    for y in range(side):
        for x in range(side):
            for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):
                y2, x2 = y + dy, x + dx
                if y2 >= side or x2 < 0 or x2 >= side:
                    continue
                if y < river <= y2:  # the river: only the ferries cross it
                    if dx == 0 and x % 5 == 0:
                        f.write(f"  f{x}: {{from: p{y}_{x}, to: p{y2}_{x2}, kind: crossing, "
                                f"capacity_per_day: 500}}\n")
                    continue
                f.write(f"  r{y}_{x}_{y2}_{x2}: {{from: p{y}_{x}, to: p{y2}_{x2}}}\n")
