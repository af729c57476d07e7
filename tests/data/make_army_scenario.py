#!/usr/bin/env python3
"""Writes a synthetic scenario with many armies (for the army determinism test and the army
benchmark): a G x G grid of places 0.25 degrees apart joined by roads to their four neighbours
(some through hills), the western half Song, the eastern half Jin, every place with people and
grain; A armies, half of each faction, at places of their own half, with mixed arms, and each
faction's doctrine targeting three places deep in the other half. Nothing here is history.
Usage: make_army_scenario.py ARMIES GRID DAYS OUT.yaml"""
import datetime
import random
import sys

armies, grid, days, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(1127)
end = datetime.date(1126, 3, 1) + datetime.timedelta(days=days)  # no Feb 29 in 1126
half = grid // 2


def pid(x, y):
    return f"p{x}_{y}"


with open(out, "w") as f:
    f.write(f"scenario: {{name: army_bench, start: 1126-03-01, end: {end.isoformat()}, seed: 11,"
            " output: {every_days: 10}}\n")
    mid = grid // 2
    f.write("factions:\n")
    f.write(f"  song: {{name: Song, doctrine: {{targets: {{{pid(grid - 2, mid)}: 1, "
            f"{pid(grid - 2, 1)}: 2, {pid(grid - 2, grid - 2)}: 3}}}}}}\n")
    f.write(f"  jin: {{name: Jin, doctrine: {{targets: {{{pid(1, mid)}: 1, {pid(1, 1)}: 2, "
            f"{pid(1, grid - 2)}: 3}}}}}}\n")
    f.write("places:\n")
    for x in range(grid):
        for y in range(grid):
            owner = "song" if x < half else "jin"
            walls = ", walls: {strength: 0.5}" if (x * 7 + y * 3) % 11 == 0 else ""
            f.write(f"  {pid(x, y)}: {{lat: {30 + 0.25 * y:.2f}, lon: {110 + 0.25 * x:.2f}, "
                    f"owner: {owner}, population: {{persons: {2000 + (x * 131 + y * 71) % 9000}}}, "
                    f"grain_shi: {500 + (x * 37 + y * 53) % 3000}{walls}}}\n")
    f.write("routes:\n")
    for x in range(grid):
        for y in range(grid):
            for dx, dy in ((1, 0), (0, 1)):
                if x + dx < grid and y + dy < grid:
                    terr = ", terrain: hills" if (x + 2 * y) % 5 == 0 else ""
                    f.write(f"  r{x}_{y}_{dx}: {{from: {pid(x, y)}, to: {pid(x + dx, y + dy)}"
                            f"{terr}}}\n")
    f.write("armies:\n")
    arms = ["heavy_cavalry", "horse_archers", "crossbowmen", "spearmen", "levies"]
    for k in range(armies):
        fac = "song" if k % 2 == 0 else "jin"
        x = rnd.randrange(0, half) if fac == "song" else rnd.randrange(half, grid)
        y = rnd.randrange(grid)
        cohorts = ", ".join(f"{a}: {rnd.randrange(200, 3000)}" for a in rnd.sample(arms, 3))
        f.write(f"  a{k}: {{owner: {fac}, at: {pid(x, y)}, cohorts: {{{cohorts}, porters: "
                f"{rnd.randrange(0, 2000)}}}, commander: {{skill: {rnd.random():.2f}, "
                f"aggression: {rnd.random():.2f}}}}}\n")
