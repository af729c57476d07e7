#!/usr/bin/env python3
"""Writes a synthetic scenario with N places on a ring of roads and the economy switched on (for
the economy's determinism test): every place has people and land, so every place draws its
weather and spoilage and trades every day in the parallel phases; places alternate between two
factions at peace under a treaty (cross-border smuggling on every route), with a shipment and
a border market. 10 days from 1125-10-10 cover a tribute payment (10-12), the rice harvest
(10-15, places south of 33 N), the pay day (set to the 15th) and an autumn tax (10-16).
Usage: make_economy_scenario.py N OUT.yaml"""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w") as f:
    f.write("scenario:\n  name: econbig\n  start: 1125-10-10\n  end: 1125-10-20\n"
            "  seed: 2024\n  output: {every_days: 5}\n")
    f.write("economy:\n  pay_day: 15\n  trade: {max_cost_strings_per_shi: 0.1}\n"
            "  treaties:\n    t: {payer: a, receiver: b, yearly: {silver_taels: 1000, grain_shi: 500},"
            " delivery: {month: 10, day: 12}, transit_days: 3}\n"
            "  markets:\n    m: {place: p1, partner: a, turnover_strings_per_year: 100000, open: true}\n"
            "  shipments:\n    s: {from: p0, to: p1000, shi_per_year: 36500, every_days: 5}\n")
    fac = ("    economy: {treasury: {cash_strings: 1000000, silver_taels: 5000}, "
           "soldiers: {regular: 1000}, land_tax: {autumn: {month: 10, day: 16}}}\n")
    f.write("factions:\n  a:\n    name: A\n    capital: p0\n" + fac + "  b:\n    name: B\n" + fac)
    f.write("places:\n")
    for i in range(n):
        lat = 20 + (i % 400) * 0.05
        lon = 100 + (i // 400) * 0.05
        owner = "a" if i % 2 == 0 else "b"
        persons = 1000 + (i * 7919) % 50000
        land = persons * (7 if lat < 33 else 4)
        f.write(f"  p{i}: {{lat: {lat:.3f}, lon: {lon:.3f}, owner: {owner}, "
                f"population: {{persons: {persons}}}, "
                f"economy: {{land_mu: {land}, granary_shi: {persons // 10}}}}}\n")
    f.write("routes:\n")
    for i in range(n):
        kind = "canal" if i % 3 == 0 else "road"
        f.write(f"  r{i}: {{from: p{i}, to: p{(i + 1) % n}, km: 20, kind: {kind}}}\n")
