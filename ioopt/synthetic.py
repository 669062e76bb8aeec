"""Seeded synthetic cases for benchmarks and scaling tests.

``write_synthetic_case(dir, n_projects, seed)`` writes a valid case folder: ~12 sectors
in four chains plus electricity, 9 parks, 5 years, N projects (10 % existing, 5 %
committed, the rest candidates) with coefficients drawn around the example case's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

SECTORS = [
    # sector, chain, unit, kind, price CNY/unit, va share, import price, import limit, export limit
    ("electricity", "energy", "MWh", "electricity", 280, 0.35, 330, None, 500),
    ("alumina", "aluminium", "t", "product", 3000, 0.2, 3000, None, 0),
    ("primary_al", "aluminium", "t", "product", 19600, 0.18, 20000, None, None),
    ("al_foil", "aluminium", "t", "product", 26000, 0.22, None, 0, None),
    ("recycled_al", "aluminium", "t", "product", 18000, 0.15, None, 0, None),
    ("corn_grain", "corn", "t", "product", 2300, 0.4, 2500, 500, None),
    ("corn_starch", "corn", "t", "product", 2900, 0.15, None, 0, None),
    ("amino_acids", "corn", "t", "product", 11330, 0.25, None, 0, None),
    ("nickel_ore", "nickel", "t", "product", 700, 0.1, 700, None, 0),
    ("npi", "nickel", "t", "product", 8000, 0.15, None, 0, None),
    ("stainless", "nickel", "t", "product", 14000, 0.16, None, 0, None),
    ("wind_parts", "equipment", "t", "product", 12000, 0.25, None, 0, None),
]
COEFS = [
    ("alumina", "primary_al", 1.93), ("electricity", "primary_al", 13.0),
    ("primary_al", "al_foil", 1.05), ("electricity", "al_foil", 1.2),
    ("electricity", "recycled_al", 0.35), ("corn_grain", "corn_starch", 1.79),
    ("electricity", "corn_starch", 0.2), ("corn_starch", "amino_acids", 2.0),
    ("electricity", "amino_acids", 1.5), ("nickel_ore", "npi", 8.0),
    ("electricity", "npi", 3.5), ("npi", "stainless", 0.9), ("electricity", "stainless", 0.6),
    ("stainless", "wind_parts", 0.3), ("electricity", "wind_parts", 0.8),
]
# per sector: typical capacity (万 units), fuel tce/unit, water m3/unit, capex 亿元 per 万 units
NORMS = {
    "electricity": (300, 0.30, 1.8, 0.15), "primary_al": (50, 0.0, 3.0, 2.0),
    "al_foil": (20, 0.08, 2.0, 1.2), "recycled_al": (15, 0.12, 1.0, 0.4),
    "corn_grain": (100, 0.02, 0.0, 0.05), "corn_starch": (40, 0.12, 4.0, 0.2),
    "amino_acids": (15, 1.1, 25.0, 1.2), "npi": (20, 1.0, 2.0, 1.3),
    "stainless": (40, 0.15, 3.0, 1.4), "wind_parts": (10, 0.6, 1.0, 1.5),
}
PARKS = ["huolinguole", "zhalute", "horqin", "etdz", "kailu", "kezuozhong", "kezuohou",
         "kulun", "naiman"]
SRC = "synthetic (ioopt.synthetic, seeded)"


def write_synthetic_case(path: str | Path, n_projects: int, seed: int = 0) -> Path:
    """Write a seeded synthetic case with ``n_projects`` projects to ``path``."""
    rng = np.random.default_rng(seed)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    years = [2021, 2022, 2023, 2024, 2025]
    # renewables pooled: the synthetic farms are contracted to no park, and the benchmark
    # keeps the same instances (the same MILP) from version to version
    # values drawn around the example's, not sourced: the cost check (input cost + value
    # added <= price) is off, as the example's corn starch and foil would fail it
    cfg = {"name": f"synthetic_{n_projects}", "base_year": 2020, "years": years,
           "accounting": {"renewables": "pooled"}, "solver": {"mip_gap": 0.01},
           "checks": {"cost_consistency": "off"}}
    (out / "case.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    pd.DataFrame([{"sector": s, "name": s, "chain": c, "unit": u, "kind": k, "price_cny": p,
                   "va_share": v, "import_price_cny": ip, "import_limit_10k": il,
                   "export_limit_10k": el, "source": SRC}
                  for s, c, u, k, p, v, ip, il, el in SECTORS]).to_csv(out / "sectors.csv",
                                                                       index=False)
    pd.DataFrame([{"input_sector": a, "output_sector": b, "coef": c, "source": SRC}
                  for a, b, c in COEFS]).to_csv(out / "coefficients.csv", index=False)
    pd.DataFrame({"park": PARKS, "name": PARKS, "source": SRC}).to_csv(out / "parks.csv",
                                                                       index=False)
    sectors = list(NORMS)
    sec = rng.choice(sectors, size=n_projects)
    u = rng.random(n_projects)
    status = np.where(u < 0.10, "existing", np.where(u < 0.15, "committed", "candidate"))
    norm = np.array([NORMS[s] for s in sec])
    scale = rng.lognormal(0.0, 0.4, n_projects)
    cap = np.round(norm[:, 0] * scale / max(1.0, n_projects / 200), 3)
    renewable = (sec == "electricity") & (rng.random(n_projects) < 0.6)
    fuel = np.where(renewable, 0.0, norm[:, 1] * rng.uniform(0.8, 1.2, n_projects))
    capex = np.where(status == "existing", 0.0, cap * norm[:, 3] * rng.uniform(0.8, 1.3, n_projects))
    land = np.where(status == "existing", 0.0, np.round(cap * rng.uniform(20, 60, n_projects), 1))
    drawn = rng.choice(years, size=n_projects)
    online = [int(y) if st == "committed" else None for st, y in zip(status, drawn, strict=True)]
    projects = pd.DataFrame({
        "project": [f"p{i:06d}" for i in range(n_projects)],
        "name": [f"{s} project {i}" for i, s in enumerate(sec)],
        "sector": sec, "park": rng.choice(PARKS, size=n_projects), "status": status,
        "capacity_10k": cap, "online_year": online,
        "capex_100m_cny": np.round(capex, 4), "land_mu": land,
        "fuel_tce": np.round(fuel, 4),
        "water_m3": np.round(norm[:, 2] * rng.uniform(0.8, 1.2, n_projects), 3),
        "renewable": renewable, "source": SRC,
    })
    projects.to_csv(out / "projects.csv", index=False)
    # quotas sized from what the existing and committed plants use, plus headroom
    base_cap = projects.loc[projects["status"] != "candidate"]
    fuel_use = float((base_cap["capacity_10k"] * base_cap["fuel_tce"]).sum())
    all_fuel = float((projects["capacity_10k"] * projects["fuel_tce"]).sum())
    e_quota = fuel_use + 0.5 * (all_fuel - fuel_use) + 0.002 * all_fuel
    land_total = float(projects["land_mu"].sum())
    quotas = [{"family": "energy_total", "year": t, "park": "",
               "limit": round(e_quota * (0.9 + 0.05 * i), 3), "unit": "10k tce", "source": SRC}
              for i, t in enumerate(years)]
    quotas += [{"family": "water_total", "year": "", "park": "",
                "limit": round(float((projects["capacity_10k"] * projects["water_m3"]).sum()) * 0.8, 3),
                "unit": "10k m3", "source": SRC}]
    quotas += [{"family": "land", "year": "", "park": p,
                "limit": round(land_total / len(PARKS) * 0.6, 1), "unit": "mu", "source": SRC}
               for p in PARKS]
    quotas += [{"family": "capital_total", "year": "", "park": "",
                "limit": round(float(projects["capex_100m_cny"].sum()) * 0.5, 3),
                "unit": "100m CNY", "source": SRC}]
    pd.DataFrame(quotas).to_csv(out / "quotas.csv", index=False)
    return out
