#!/usr/bin/env python3
"""Writes a synthetic scenario with many sieges (for the siege determinism and checkpoint
tests): a G x G grid of walled places 0.25 degrees apart joined by roads (and a river down the
middle column), the western half Song, the eastern half Jin, every place with people, land and
grain; a garrison in every other place; A besieging armies, half of each faction, each ordered to
besiege a place of the other half; the Jin prefer terms, the Song have incendiaries and fire
lances, the Jin counterweight engines. The economy runs (its consumption meets the sieges). Nothing
here is history.
Usage: make_siege_scenario.py ARMIES GRID DAYS OUT.yaml"""
import datetime
import random
import sys

armies, grid, days, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(1132)
end = datetime.date(1126, 3, 1) + datetime.timedelta(days=days)  # no Feb 29 in 1126
half = grid // 2


def pid(x, y):
    return f"p{x}_{y}"


with open(out, "w") as f:
    f.write(f"scenario: {{name: siege_bench, start: 1126-03-01, end: {end.isoformat()}, seed: 13,"
            " output: {every_days: 5}}\n")
    f.write("economy: {}\n")
    f.write("factions:\n")
    f.write(f"  song: {{name: Song, capital: {pid(0, grid // 2)}, siege: {{technology: "
            "{incendiary: 1044-01-01, fire_lance: 1126-04-01}}, economy: {treasury: "
            "{silver_taels: 2000000, gold_taels: 50000, silk_bolts: 1000000}}}\n")
    f.write(f"  jin: {{name: Jin, capital: {pid(grid - 1, grid // 2)}, siege: {{terms_preference: "
            "0.8, technology: {counterweight: 1126-05-01}}, economy: {treasury: {}}}\n")
    f.write("places:\n")
    for x in range(grid):
        for y in range(grid):
            owner = "song" if x < half else "jin"
            pop = 5000 + (x * 131 + y * 71) % 40000
            walls = (f"walls: {{strength: {0.3 + 0.1 * ((x + 2 * y) % 7):.1f}, "
                     f"layers: {1 + (x * y) % 3}, moat: {'true' if (x + y) % 2 else 'false'}, "
                     f"circuit_km: {2 + (x + y) % 6}, river_gates: {0.5 if x == half else 0}, "
                     f"commander_loyalty: {0.3 + 0.1 * ((3 * x + y) % 8):.1f}}}")
            f.write(f"  {pid(x, y)}: {{lat: {30 + 0.25 * y:.2f}, lon: {110 + 0.25 * x:.2f}, "
                    f"owner: {owner}, population: {{persons: {pop}}}, "
                    f"economy: {{land_mu: {pop * 8}}}, "
                    f"grain_shi: {pop * 2 + (x * 37 + y * 53) % 4000}, {walls}}}\n")
    f.write("routes:\n")
    for x in range(grid):
        for y in range(grid):
            for dx, dy in ((1, 0), (0, 1)):
                if x + dx < grid and y + dy < grid:
                    kind = "river" if x == half and dx == 0 else "road"
                    down = ", downstream: to" if kind == "river" else ""
                    f.write(f"  r{x}_{y}_{dx}: {{from: {pid(x, y)}, to: {pid(x + dx, y + dy)}, "
                            f"kind: {kind}{down}}}\n")
    f.write("armies:\n")
    arms = ["heavy_cavalry", "horse_archers", "crossbowmen", "spearmen", "levies"]
    k = 0
    for x in range(grid):
        for y in range(grid):
            if (x + y) % 2:
                continue
            fac = "song" if x < half else "jin"
            f.write(f"  g{k}: {{owner: {fac}, at: {pid(x, y)}, order: hold, cohorts: "
                    f"{{crossbowmen: {rnd.randrange(300, 3000)}, spearmen: "
                    f"{rnd.randrange(300, 3000)}}}, commander: {{skill: {rnd.random():.2f}, "
                    f"aggression: {rnd.random():.2f}, loyalty: {0.2 + 0.8 * rnd.random():.2f}}}}}\n")
            k += 1
    for j in range(armies):
        fac = "song" if j % 2 == 0 else "jin"
        x = rnd.randrange(0, half) if fac == "song" else rnd.randrange(half, grid)
        tx = rnd.randrange(half, grid) if fac == "song" else rnd.randrange(0, half)
        y, ty = rnd.randrange(grid), rnd.randrange(grid)
        cohorts = ", ".join(f"{a}: {rnd.randrange(1000, 8000)}" for a in rnd.sample(arms, 3))
        f.write(f"  a{j}: {{owner: {fac}, at: {pid(x, y)}, order: besiege, target: {pid(tx, ty)}, "
                f"cohorts: {{{cohorts}, engineers: {rnd.randrange(0, 1500)}, porters: "
                f"{rnd.randrange(0, 3000)}}}, commander: {{skill: {rnd.random():.2f}, "
                f"aggression: {rnd.random():.2f}, loyalty: {0.3 + 0.7 * rnd.random():.2f}}}}}\n")
