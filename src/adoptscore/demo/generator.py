"""Deterministic demo usage data: one row per account per month, GitLab Service Ping style.

Every random draw is a counter-based hash (splitmix64) of ``(seed, account index, stream name)``
or ``(seed, account index, months back from end_period, stream name)``. Nothing is drawn from a
sequential generator, so the rows of account *i* do not depend on how many accounts are generated
nor on how they are chunked, and a chunk can be generated on its own (that is how ``write_usage``
streams 10 million rows in bounded memory).

The model, per account:

* static attributes: segment (drives seat count and ARR), industry, tier (~35% Ultimate), owner
  (a CSM from a per-segment pool), age, and a latent adoption level per use case
  (scm, ci, cd, security, engagement, license) built from a shared "maturity" factor plus a use
  case specific part;
* a trajectory: flat, growing, declining, or a sudden drop of one or two use cases in the
  latest month(s) (Green -> Yellow/Red, so alerts have something to show);
* each metric maps its latent value (plus per-account and per-month noise) through anchors placed
  on GitLab's thresholds (reference section 2), so every metric shows a real mix of colours;
* messiness: missing months, accounts starting mid-window, null cells (absent keys), negative
  failure codes, zero billable users, licensed users 0 or null, non-adopters with zero
  deployments / pipelines / scans, over-utilisation (billable > licensed).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ACCOUNTS_SCHEMA",
    "COUNT_COLUMNS",
    "HARD_NAMES",
    "USAGE_SCHEMA",
    "generate_accounts",
    "generate_usage",
    "iter_usage_chunks",
    "write_usage",
]

# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

COUNT_COLUMNS: tuple[str, ...] = (
    "billable_users",
    "licensed_users",
    "git_ops_users_l28d",
    "unique_active_users_l28d",
    "ci_builds_l28d",
    "ci_internal_pipelines_l28d",
    "deployment_users_l28d",
    "deployments_l28d",
    "successful_deployments_l28d",
    "failed_deployments_l28d",
    "secure_scanner_users_l28d",
    "sast_scans_l28d",
    "dast_scans_l28d",
    "secret_detection_scans_l28d",
    "dependency_scanning_scans_l28d",
    "container_scanning_scans_l28d",
    "coverage_fuzzing_scans_l28d",
    "api_fuzzing_scans_l28d",
    # inputs of the 2022 rubric version (bundled as gitlab-2022)
    "ci_pipeline_users_l28d",
    "container_scanning_job_users_l28d",
    "secret_detection_job_users_l28d",
)

SCAN_COLUMNS: tuple[str, ...] = COUNT_COLUMNS[11:18]

_STATIC_FIELDS = [
    pa.field("account_id", pa.string(), nullable=False),
    pa.field("account_name", pa.string(), nullable=False),
]
_SEGMENT_FIELDS = [
    pa.field("segment", pa.string(), nullable=False),
    pa.field("industry", pa.string(), nullable=False),
    pa.field("tier", pa.string(), nullable=False),
    pa.field("owner", pa.string(), nullable=False),
    pa.field("arr", pa.float64(), nullable=False),
]

USAGE_SCHEMA = pa.schema(
    _STATIC_FIELDS
    + [pa.field("period", pa.string(), nullable=False)]
    + _SEGMENT_FIELDS
    + [pa.field("account_age_months", pa.int64(), nullable=False)]
    + [pa.field(c, pa.int64(), nullable=True) for c in COUNT_COLUMNS]
)

ACCOUNTS_SCHEMA = pa.schema(_STATIC_FIELDS + _SEGMENT_FIELDS)

# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------

SEGMENTS = ("Enterprise", "Mid-Market", "SMB")
_SEGMENT_P = (0.20, 0.35, 0.45)
_SEATS = ((500, 20000), (100, 2000), (5, 200))  # licensed seats at end_period, log-uniform
_ULTIMATE_P = (0.55, 0.35, 0.25)  # -> ~0.345 overall
_SAAS_P = (0.30, 0.45, 0.65)
_DISCOUNT = ((0.55, 0.85), (0.70, 0.95), (0.85, 1.00))
_LIST_PRICE = {"Premium": 29.0 * 12, "Ultimate": 99.0 * 12}  # USD per seat per year

INDUSTRIES = (
    "Financial Services",
    "Healthcare",
    "Retail",
    "Technology",
    "Public Sector",
    "Manufacturing",
    "Telecommunications",
    "Education",
)
_INDUSTRY_P = (0.16, 0.12, 0.11, 0.22, 0.10, 0.12, 0.08, 0.09)

TIERS = (
    "Self-Managed - Ultimate",
    "Self-Managed - Premium",
    "SaaS - Ultimate",
    "SaaS - Premium",
)

# CSMs are aligned to segments: 8 Enterprise, 8 Mid-Market, 9 SMB owners.
OWNERS = (
    "Maria Gonzalez", "James Okafor", "Priya Raman", "Lukas Becker",
    "Sofia Rossi", "Daniel Kim", "Aisha Bello", "Thomas Dubois",
    "Emily Chen", "Carlos Mendes", "Hannah Schmidt", "Kwame Mensah",
    "Olivia Brown", "Rahul Verma", "Elena Petrova", "Noah Williams",
    "Yuki Tanaka", "Fatima Haddad", "Liam O'Connor", "Chloe Martin",
    "Mateo Silva", "Grace Nakamura", "Ibrahim Yilmaz", "Zoe Anderson",
    "Samuel Adeyemi",
)
_OWNER_POOLS = ((0, 8), (8, 16), (16, 25))

_STEM1 = (
    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Iron", "Stone",
    "Clear", "Bright", "High", "Oak", "Pine", "Cedar", "Maple", "River", "Lake", "Sun",
    "Star", "Moon", "Storm", "Frost", "Gold", "Copper", "Black", "White", "Deep", "Far",
    "Fair", "Wild", "Swift", "Grand", "Hill", "Bay", "Cloud", "Ember", "Falcon", "Harbor",
)
_STEM2 = (
    "wind", "peak", "bridge", "line", "water", "field", "gate", "stone", "wood", "point",
    "haven", "ridge", "brook", "crest", "vale", "forge", "star", "light", "path", "view",
    "port", "mark", "shore", "wave", "rock", "side", "land", "way", "dale", "spring",
)
_BRANDS = (
    "Acme", "Vertex", "Apex", "Quantum", "Nimbus", "Helix", "Orion", "Atlas", "Zenith",
    "Nova", "Pioneer", "Summit", "Vanguard", "Keystone", "Meridian", "Catalyst", "Polaris",
    "Sentinel", "Horizon", "Lumen", "Praxis", "Axiom", "Cobalt", "Tandem", "Beacon",
    "Evergreen", "Paragon", "Synergy", "Trident", "Vector", "Aurora", "Kestrel",
)
_SURNAMES = (
    "Harper", "Cole", "Mendez", "Kowalski", "Nakamura", "Fischer", "Okoye", "Larsen",
    "Moreau", "Rossi", "Patel", "Novak", "Jensen", "Alvarez", "Brennan", "Sato",
    "Whitfield", "Lindqvist", "Dumont", "Castillo", "Becker", "Hughes", "Ivanova", "Quinn",
)
_INDUSTRY_NOUNS = (
    ("Capital", "Bank", "Financial", "Insurance", "Investments", "Payments", "Credit Union",
     "Trust"),
    ("Health", "Medical", "BioSciences", "Pharma", "Clinics", "Diagnostics", "Care", "Genomics"),
    ("Retail", "Outfitters", "Markets", "Stores", "Brands", "Commerce", "Grocers", "Apparel"),
    ("Software", "Systems", "Labs", "Technologies", "Networks", "Data", "Cloud", "Robotics"),
    ("County", "Transit Authority", "Public Works", "Agency", "Municipal Services",
     "Water District", "Council", "Defense Systems"),
    ("Manufacturing", "Industries", "Motors", "Steel", "Components", "Aerospace",
     "Chemicals", "Machinery"),
    ("Telecom", "Communications", "Wireless", "Broadband", "Mobile", "Fiber", "Networks",
     "Satellite"),
    ("University", "College", "Learning", "Academy", "Institute", "Schools", "EdTech",
     "Education Group"),
)
_SUFFIXES = (
    "", "", "", "", "", " Inc.", " Inc.", " LLC", " Ltd", " GmbH", " S.A.", " AG", " plc",
    " Group", " Holdings", " Corp.", " B.V.", " Pty Ltd", " & Co.", " Partners",
)

_LONG_NAME = (
    "The International Consolidated Amalgamated Association of Northern and Southern "
    "Regional Software Engineering, Continuous Delivery and Platform Operations Cooperatives "
    "and Affiliated Subsidiaries Worldwide Limited"
)

# account number (1-based, as in the id) -> name carrying a hazard for escaping / rendering tests
HARD_NAMES: dict[int, str] = {
    7: "<script>alert(1)</script> Industries",
    13: "O'Brien & \"Sons\" <Ltd>",
    21: "شركة النور للتقنية والبرمجيات",
    34: "Rocket 🚀 Unicorn 🦄 Labs",
    55: _LONG_NAME,
    89: "Smith, Jones; and Partners, LLC",
}

USE_CASES = ("scm", "ci", "cd", "security", "engagement", "license")
_SCM, _CI, _CD, _SEC, _ENG, _LIC = range(6)

# --------------------------------------------------------------------------------------------
# Counter-based randomness (splitmix64)
# --------------------------------------------------------------------------------------------

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_U64_GOLDEN = np.uint64(_GOLDEN)
_U64_M1 = np.uint64(0xBF58476D1CE4E5B9)
_U64_M2 = np.uint64(0x94D049BB133111EB)
_U64_30, _U64_27, _U64_31 = np.uint64(30), np.uint64(27), np.uint64(31)
_U64_11, _U64_32 = np.uint64(11), np.uint64(32)
_U64_LOW32 = np.uint64(0xFFFFFFFF)
_U64_LOW16 = np.uint64(0xFFFF)
_U64_16, _U64_48 = np.uint64(16), np.uint64(48)
_INV53 = 1.0 / (1 << 53)
_INV32 = 1.0 / (1 << 32)


def _splitmix_int(x: int) -> int:
    z = (x + _GOLDEN) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on a uint64 array (returns a new array; wraps modulo 2**64)."""
    z = x ^ (x >> _U64_30)
    z *= _U64_M1
    z ^= z >> _U64_27
    z *= _U64_M2
    z ^= z >> _U64_31
    return z


def _stream_const(name: str) -> np.uint64:
    return np.uint64(_splitmix_int(zlib.crc32(name.encode()) * 0x100000001B3 & _MASK64))


class _Rand:
    """Named, independent random streams over an array of 64-bit keys (one key per item)."""

    __slots__ = ("keys",)

    def __init__(self, keys: np.ndarray):
        self.keys = keys

    def bits(self, name: str) -> np.ndarray:
        return _mix(self.keys ^ _stream_const(name))

    def uniform(self, name: str) -> np.ndarray:
        """Uniform on [0, 1), 53-bit resolution."""
        out = (self.bits(name) >> _U64_11).view(np.int64).astype(np.float64)
        out *= _INV53
        return out

    def uniform_pair(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Two uniforms on [0, 1), 32-bit resolution each, from one hash."""
        h = self.bits(name)
        hi = (h >> _U64_32).view(np.int64).astype(np.float64)
        h &= _U64_LOW32
        lo = h.view(np.int64).astype(np.float64)
        hi *= _INV32
        lo *= _INV32
        return hi, lo

    def normal(self, name: str) -> np.ndarray:
        """Approximately standard normal (Irwin-Hall sum of four 16-bit uniforms from one hash:
        mean 0, sd 1, bounded by +-3.46): cheap, and plenty for demo noise."""
        h = self.bits(name)
        s = h & _U64_LOW16
        s += (h >> _U64_16) & _U64_LOW16
        s += (h >> _U64_32) & _U64_LOW16
        s += h >> _U64_48
        out = s.view(np.int64).astype(np.float64)
        out -= 131070.0
        out *= np.sqrt(3.0) / 65536.0
        return out

    def choice(self, name: str, p: tuple[float, ...] | np.ndarray) -> np.ndarray:
        """Index drawn with probabilities p (rows of p per item if p is 2-D)."""
        u = self.uniform(name)
        cp = np.cumsum(np.asarray(p, dtype=np.float64), axis=-1)
        if cp.ndim == 1:
            return np.minimum(np.searchsorted(cp / cp[-1], u, side="right"), len(cp) - 1)
        cp = cp / cp[:, -1:]
        return np.minimum((u[:, None] >= cp).sum(axis=1), cp.shape[1] - 1)

    def integers(self, name: str, low: np.ndarray | int, high: np.ndarray | int) -> np.ndarray:
        """Integer uniform on [low, high] inclusive."""
        u = self.uniform(name)
        low = np.asarray(low, dtype=np.int64)
        high = np.asarray(high, dtype=np.int64)
        return low + np.floor(u * (high - low + 1)).astype(np.int64)


def _seed_key(seed: int) -> int:
    return _splitmix_int(_splitmix_int(int(seed) & _MASK64) ^ 0x5EED)


def _account_keys(start: int, stop: int, seed: int) -> np.ndarray:
    idx = np.arange(start, stop, dtype=np.uint64)
    return _mix(np.uint64(_seed_key(seed)) + (idx + np.uint64(1)) * _U64_GOLDEN)


# --------------------------------------------------------------------------------------------
# Per-account static attributes and latents
# --------------------------------------------------------------------------------------------


def _id_width(accounts: int) -> int:
    return max(6, len(str(int(accounts))))


def _account_ids(start: int, stop: int, width: int) -> pa.Array:
    digits = pc.cast(pa.array(np.arange(start + 1, stop + 1, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise("A", pc.utf8_lpad(digits, width=width, padding="0"), "")


def _take(values: tuple[str, ...], idx: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string()).take(pa.array(idx, type=pa.int64()))


def _names(r: _Rand, start: int, industry: np.ndarray) -> pa.Array:
    n = len(industry)
    style = r.choice("name.style", (0.6, 0.25, 0.15))
    s1 = r.integers("name.stem1", 0, len(_STEM1) - 1)
    s2 = r.integers("name.stem2", 0, len(_STEM2) - 1)
    br = r.integers("name.brand", 0, len(_BRANDS) - 1)
    sn1 = r.integers("name.surname1", 0, len(_SURNAMES) - 1)
    sn2 = (sn1 + r.integers("name.surname2", 1, len(_SURNAMES) - 1)) % len(_SURNAMES)
    noun = r.integers("name.noun", 0, 7)
    suf = r.integers("name.suffix", 0, len(_SUFFIXES) - 1)

    flat_nouns = tuple(" " + w for nouns in _INDUSTRY_NOUNS for w in nouns)
    noun_arr = _take(flat_nouns, industry * 8 + noun)
    # public bodies and schools carry no corporate suffix
    suffix_arr = _take(_SUFFIXES, np.where((industry == 4) | (industry == 7), 0, suf))
    compound = pc.binary_join_element_wise(
        _take(_STEM1, s1), _take(_STEM2, s2), noun_arr, suffix_arr, ""
    )
    branded = pc.binary_join_element_wise(_take(_BRANDS, br), noun_arr, suffix_arr, "")
    # "Harper & Cole" style names take a professional-services suffix instead of the noun
    partner_suffix = _take(("", " LLP", " Partners", " Consulting", " Advisory"), suf % 5)
    partners = pc.binary_join_element_wise(
        _take(_SURNAMES, sn1),
        pa.array(np.full(n, " & "), type=pa.string()),
        _take(_SURNAMES, sn2),
        partner_suffix,
        "",
    )
    style_arr = pa.array(style)
    names = pc.if_else(
        pc.equal(style_arr, 0), compound, pc.if_else(pc.equal(style_arr, 1), branded, partners)
    )
    hard = [(num - 1 - start, name) for num, name in HARD_NAMES.items() if 0 <= num - 1 - start < n]
    if hard:
        py = names.to_pylist()
        for pos, name in hard:
            py[pos] = name
        names = pa.array(py, type=pa.string())
    return names


class _Accounts:
    """Static attributes and latent parameters for accounts [start, stop)."""

    def __init__(self, start: int, stop: int, seed: int):
        self.start, self.stop = start, stop
        n = stop - start
        self.n = n
        keys = _account_keys(start, stop, seed)
        self.keys = keys
        r = _Rand(keys)

        seg = r.choice("segment", _SEGMENT_P)
        self.segment = seg
        self.industry = r.choice("industry", _INDUSTRY_P)
        ult = r.uniform("tier.ultimate") < np.asarray(_ULTIMATE_P)[seg]
        saas = r.uniform("tier.saas") < np.asarray(_SAAS_P)[seg]
        self.ultimate = ult
        # TIERS order: SM-Ult, SM-Prem, SaaS-Ult, SaaS-Prem
        self.tier = np.where(saas, 2, 0) + np.where(ult, 0, 1)
        lo = np.asarray([p[0] for p in _OWNER_POOLS])[seg]
        hi = np.asarray([p[1] for p in _OWNER_POOLS])[seg]
        self.owner = r.integers("owner", lo, hi - 1)

        seats_lo = np.asarray([s[0] for s in _SEATS], dtype=np.float64)[seg]
        seats_hi = np.asarray([s[1] for s in _SEATS], dtype=np.float64)[seg]
        u = r.uniform("seats")
        self.seats = np.round(np.exp(np.log(seats_lo) + u * np.log(seats_hi / seats_lo))).astype(
            np.int64
        )
        d_lo = np.asarray([d[0] for d in _DISCOUNT])[seg]
        d_hi = np.asarray([d[1] for d in _DISCOUNT])[seg]
        discount = d_lo + r.uniform("discount") * (d_hi - d_lo)
        price = np.where(ult, _LIST_PRICE["Ultimate"], _LIST_PRICE["Premium"])
        self.arr = np.round(self.seats * price * discount, 0)

        # age in months at end_period: a few accounts are young enough to start mid-window
        ag = r.choice("age.group", (0.035, 0.095, 0.87))
        self.age_end = np.select(
            [ag == 0, ag == 1],
            [r.integers("age.young", 0, 13), r.integers("age.new", 14, 26)],
            r.integers("age.mature", 27, 144),
        )

        # trajectory: 0 flat, 1 growing, 2 declining, 3 sudden drop
        traj = r.choice("trajectory", (0.40, 0.28, 0.20, 0.12))
        self.trajectory = traj

        # latent adoption level per use case at end_period (before a sudden drop)
        g = r.normal("maturity")
        seg_mu = np.asarray([0.25, 0.0, -0.2])[seg]
        a = np.empty((6, n))
        for i, uc in enumerate(USE_CASES):
            e = r.normal("level." + uc)
            a[i] = seg_mu + 0.55 * g + 0.85 * e
        a[_SEC] += np.where(ult, 0.35, -0.5)
        a[_LIC] -= 0.25 * seg_mu  # large accounts over-buy seats

        # per-month slope of the latent (z at k months back = a - slope * k)
        slope = np.zeros((6, n))
        for i, uc in enumerate(USE_CASES):
            s = 0.03 + 0.10 * r.uniform("slope." + uc)
            flat = 0.012 * r.normal("slope.flat." + uc)
            # a growing / declining account moves in most, not all, of its use cases
            s = np.where(r.uniform("slope.moves." + uc) < 0.8, s, flat)
            slope[i] = np.select([traj == 1, traj == 2], [s, -s], flat)

        # sudden drop: one or two use cases (not license) fall in the latest month(s)
        drop = np.zeros((6, n))
        is_drop = traj == 3
        first = r.integers("drop.first", 0, 4)
        second = (first + r.integers("drop.second", 1, 4)) % 5
        has_second = r.uniform("drop.has_second") < 0.35
        size = 1.3 + 1.3 * r.uniform("drop.size")
        boost = 0.5 + 1.3 * r.uniform("drop.boost")
        cols = np.arange(n)
        drop[first[is_drop], cols[is_drop]] = size[is_drop]
        m2 = is_drop & has_second
        drop[second[m2], cols[m2]] = 0.7 * size[m2]
        a = np.where(drop > 0, np.maximum(a, boost[None, :]), a)  # they were doing well
        self.a, self.slope, self.drop = a, slope, drop
        self.drop_k = r.choice("drop.month", (0.7, 0.2, 0.1))  # drop covers k <= drop_k

        # per-account, per-metric offsets
        self.off = {}
        for m in ("git", "uau", "builds", "dep_users", "dpb", "success", "scan_users", "spp",
                  "nscan", "lic"):
            self.off[m] = 0.35 * r.normal("offset." + m)
        self.success_bias = 0.9 * r.normal("success.bias")

        # adoption gaps and structure
        self.no_ci = r.uniform("no_ci") < 0.04
        self.no_cd = self.no_ci | (r.uniform("no_cd") < 0.06)
        u_sec = r.uniform("no_security")
        self.no_sec = np.where(ult, u_sec < 0.06, u_sec < 0.85) | self.no_ci
        self.builds_per_pipeline = np.exp(np.log(2.0) + r.uniform("bpp") * np.log(6.0))
        self.other_deploy_frac = 0.06 * r.uniform("deploy.other")
        # scanner preference: popularity order perturbed per account
        pop = np.asarray([1.0, 4.0, 0.0, 2.0, 3.0, 6.0, 5.0])  # index = SCAN_COLUMNS order
        order_key = np.empty((n, 7))
        weight = np.empty((n, 7))
        for j, col in enumerate(SCAN_COLUMNS):
            order_key[:, j] = pop[j] + 2.5 * r.uniform("scan.order." + col)
            weight[:, j] = -np.log(1.0 - r.uniform("scan.weight." + col))
        # rank[i, j] = position of scanner j in account i's preference order
        self.scan_rank = (order_key[:, None, :] < order_key[:, :, None]).sum(axis=2)
        self.scan_weight = weight
        # free tiers only scan with SAST and secret detection
        self.scan_allowed = np.ones((n, 7), dtype=bool)
        self.scan_allowed[~ult] = np.asarray([True, False, True, False, False, False, False])
        # old GitLab versions do not report the fuzzing keys at all
        self.no_fuzz_keys = r.uniform("old_version") < 0.03
        self.unlicensed = r.uniform("unlicensed") < 0.003
        self.license_growth = np.select(
            [traj == 1, traj == 2], [1.25, 0.85], 1.0 + 0.05 * (r.uniform("lic.growth") < 0.3)
        )

    def attribute_arrays(self, width: int) -> dict[str, pa.Array]:
        r = _Rand(self.keys)
        return {
            "account_id": _account_ids(self.start, self.stop, width),
            "account_name": _names(r, self.start, self.industry),
            "segment": _take(SEGMENTS, self.segment),
            "industry": _take(INDUSTRIES, self.industry),
            "tier": _take(TIERS, self.tier),
            "owner": _take(OWNERS, self.owner),
            "arr": pa.array(self.arr, type=pa.float64()),
        }


# --------------------------------------------------------------------------------------------
# Metric mapping
# --------------------------------------------------------------------------------------------

# Latent z -> metric value, piecewise-linear through anchors placed on GitLab's thresholds:
# z in (-0.43, 0.43) is Yellow, so a standard-normal latent gives about a third of each colour.
_Z = np.asarray([-2.6, -0.43, 0.43, 2.6])


def _interp(z: np.ndarray, xs: np.ndarray | tuple, ys: np.ndarray | tuple) -> np.ndarray:
    """np.interp for a handful of anchors, without the per-element binary search."""
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    out = np.full(z.shape, ys[0])
    for i in range(len(xs) - 1):
        t = np.maximum(z, xs[i])
        np.minimum(t, xs[i + 1], out=t)
        t -= xs[i]
        t *= (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])
        out += t
    return out


def _log_interp(z: np.ndarray, values: tuple[float, float, float, float]) -> np.ndarray:
    return np.exp(_interp(z, _Z, np.log(np.asarray(values))))


def _lin_interp(z: np.ndarray, values: tuple[float, float, float, float]) -> np.ndarray:
    return _interp(z, _Z, values)


def _int64_array(values: np.ndarray, null: np.ndarray) -> pa.Array:
    """int64 Arrow array from a numpy array and a null mask, without copying the values."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    null_count = int(np.count_nonzero(null))
    validity = None
    if null_count:
        validity = pa.py_buffer(np.packbits(~null, bitorder="little"))
    return pa.Array.from_buffers(
        pa.int64(), len(values), [validity, pa.py_buffer(values)], null_count=null_count
    )


def _sround(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Stochastic rounding to int64 (floor(x + u), u uniform on [0, 1))."""
    return np.floor(x + u).astype(np.int64)


def _period_list(months: int, end_period: str) -> list[str]:
    try:
        y_s, m_s = end_period.split("-")
        y, m = int(y_s), int(m_s)
        if not (1 <= m <= 12 and len(y_s) == 4 and len(m_s) == 2):
            raise ValueError
    except ValueError:
        raise ValueError(f"end_period must look like 'YYYY-MM', got {end_period!r}") from None
    end = y * 12 + (m - 1)
    if end - months + 1 < 12:
        raise ValueError(f"{months} months before {end_period} starts before year 1")
    out = []
    for ordinal in range(end - months + 1, end + 1):
        out.append(f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}")
    return out


def _check_args(accounts: int, months: int) -> None:
    if int(accounts) < 0:
        raise ValueError("accounts must be >= 0")
    if int(months) < 1:
        raise ValueError("months must be >= 1")


# messiness rates
_P_MISSING_MONTH = 0.03
_P_NULL_CELL = 0.005
_P_NEG_CELL = 0.003
_P_EMPTY_PAYLOAD = 0.002
_P_BILLABLE_ZERO = 0.005
_P_LICENSED_ZERO = 0.003
_P_LICENSED_NULL = 0.001


# accounts generated at once inside a chunk: keeps the working arrays small (cache-friendly,
# bounded memory); has no effect on the values
_BLOCK_ACCOUNTS = 8192


def _usage_chunk(start: int, stop: int, months: int, seed: int, periods: list[str],
                 width: int) -> pa.Table:
    starts = list(range(start, stop, _BLOCK_ACCOUNTS))
    if not starts:
        return USAGE_SCHEMA.empty_table()

    return pa.concat_tables(
        [_usage_block(b, min(stop, b + _BLOCK_ACCOUNTS), months, seed, periods, width)
         for b in starts]
    )


def _usage_block(start: int, stop: int, months: int, seed: int, periods: list[str],
                 width: int) -> pa.Table:
    acc = _Accounts(start, stop, seed)
    n, M = acc.n, months

    # ---- grid of (account, month) and which rows exist ------------------------------------
    j = np.tile(np.arange(M, dtype=np.int64), n)  # month position, 0 = oldest
    ai = np.repeat(np.arange(n, dtype=np.int64), M)  # local account index
    k = (M - 1) - j  # months back from end_period
    row_keys = _mix(acc.keys[ai] ^ ((k.astype(np.uint64) + np.uint64(1)) * np.uint64(
        0xD1B54A32D192ED03)))
    age = acc.age_end[ai] - k
    keep = (age >= 0) & (_Rand(row_keys).uniform("missing") >= _P_MISSING_MONTH)
    ai, j, k, age, row_keys = ai[keep], j[keep], k[keep], age[keep], row_keys[keep]
    del keep
    rr = _Rand(row_keys)
    nrow = len(ai)

    # ---- latents per use case ----------------------------------------------------------------
    z = np.empty((6, nrow))
    kf = k.astype(np.float64)
    in_drop = k <= acc.drop_k[ai]
    for u in range(6):
        # seats (license) move slowly; usage counts are noisier month to month
        z[u] = acc.a[u][ai] - acc.slope[u][ai] * kf + (0.03 if u == _LIC else 0.08) * rr.normal(
            "noise." + USE_CASES[u])
        z[u] -= np.where(in_drop, acc.drop[u][ai], 0.0)
    del in_drop, kf

    def zm(use: int, metric: str) -> np.ndarray:
        """Latent of one metric: its use case's level plus the account's offset for it."""
        return z[use] + acc.off[metric][ai]

    def jitter(metric: str, sd: float, keys: _Rand = rr) -> np.ndarray:
        """Month-to-month multiplicative noise of a metric's value (log-normal-ish)."""
        return np.exp(sd * keys.normal("noise.metric." + metric))

    def round_u(name: str) -> np.ndarray:
        """Uniforms for the stochastic rounding of one quantity."""
        return rr.uniform("round." + name)

    # ---- seats ---------------------------------------------------------------------------------
    n_anniv = acc.age_end[ai] // 12 - np.maximum(age, 0) // 12
    licensed = np.maximum(
        1, np.round(acc.seats[ai] / acc.license_growth[ai] ** n_anniv)
    ).astype(np.int64)
    ramp = np.minimum(1.0, 0.25 + 0.75 * age / 9.0)
    lic_ratio = np.exp(_interp(zm(_LIC, "lic"), [-2.6, 0.0, 1.3, 2.6],
                                 np.log([0.12, 0.75, 1.0, 1.3]))) * ramp * jitter("lic", 0.03)
    billable = np.maximum(1, _sround(licensed * lic_ratio, round_u("billable")))
    bf = billable.astype(np.float64)
    del ramp, lic_ratio, n_anniv

    def users(name: str, ratio: np.ndarray, cap: float = 1.0) -> np.ndarray:
        return np.minimum(_sround(ratio * bf, round_u(name)), np.floor(cap * bf).astype(np.int64))

    # ---- SCM, engagement ---------------------------------------------------------------------
    git_ops = users("git_ops", _log_interp(zm(_SCM, "git"), (0.01, 0.10, 0.33, 0.95))
                    * jitter("git", 0.10))
    uau = users("uau", _lin_interp(zm(_ENG, "uau"), (0.08, 0.50, 0.80, 1.04))
                * jitter("uau", 0.06), cap=1.2)

    # ---- CI ------------------------------------------------------------------------------------
    no_ci = acc.no_ci[ai]
    builds = _sround(_log_interp(zm(_CI, "builds"), (0.05, 2.0, 40.0, 400.0)) * bf
                     * jitter("builds", 0.2),
                     round_u("builds"))
    builds[no_ci] = 0
    pipelines = _sround(builds / acc.builds_per_pipeline[ai], round_u("pipelines"))
    pipelines = np.where(builds > 0, np.maximum(pipelines, 1), 0)

    # ---- CD ------------------------------------------------------------------------------------
    no_cd = acc.no_cd[ai]
    dep_users = users("dep_users", _log_interp(zm(_CD, "dep_users"), (0.003, 0.05, 0.12, 0.6))
                      * jitter("dep_users", 0.15))
    deployments = _sround(_log_interp(zm(_CD, "dpb"), (0.05, 2.0, 7.0, 60.0)) * bf
                          * jitter("dpb", 0.2),
                          round_u("deployments"))
    dep_users[no_cd] = 0
    deployments[no_cd] = 0
    finished = deployments - _sround(deployments * acc.other_deploy_frac[ai],
                                       round_u("other_deployments"))
    z_succ = 0.5 * z[_CD] + acc.success_bias[ai] + acc.off["success"][ai] + 0.1 * rr.normal(
        "noise.metric.success")
    rate = _lin_interp(z_succ, (0.03, 0.25, 0.80, 0.995))
    successful = np.minimum(_sround(finished * rate, round_u("successful")), finished)
    failed = finished - successful
    del finished, z_succ, rate

    # ---- Security ------------------------------------------------------------------------------
    no_sec = acc.no_sec[ai] | (pipelines == 0)
    z_n = zm(_SEC, "nscan") + 0.1 * rr.normal("noise.metric.nscan")
    n_scan = np.clip(np.round(_interp(z_n, _Z, [0.0, 1.5, 2.5, 7.49])), 0, 7).astype(np.int64)
    n_scan[no_sec] = 0
    # only rows that scan at all need the per-scanner work (a row's values depend on its own
    # keys only, so working on the subset changes nothing)
    sel = np.flatnonzero(n_scan > 0)
    rs = _Rand(row_keys[sel])
    a_s, n_s, bf_s = ai[sel], n_scan[sel], bf[sel]
    active = [(acc.scan_rank[a_s, c] < n_s) & acc.scan_allowed[a_s, c] for c in range(7)]
    weights = [np.where(active[c], acc.scan_weight[a_s, c], 0.0) for c in range(7)]
    n_s = np.sum(active, axis=0)
    wsum = np.sum(weights, axis=0)
    wsum[wsum == 0] = 1.0
    z_s = z[_SEC][sel] + acc.off["spp"][a_s]
    total_scans = _log_interp(z_s, (0.005, 0.1, 0.5, 4.0)) * jitter("spp", 0.2, rs)
    total_scans *= pipelines[sel] / wsum
    scans = []
    for c in range(7):
        if c % 2 == 0:
            u_pair = rs.uniform_pair(f"round.scans.{c // 2}")
        sc = np.maximum(1, _sround(total_scans * weights[c], u_pair[c % 2]))
        full = np.zeros(nrow, dtype=np.int64)
        full[sel] = np.where(active[c], sc, 0)
        scans.append(full)
    z_s = z[_SEC][sel] + acc.off["scan_users"][a_s]
    ratio = _log_interp(z_s, (0.005, 0.05, 0.20, 0.8)) * jitter("scan_users", 0.15, rs)
    su = np.minimum(_sround(ratio * bf_s, rs.uniform("round.scan_users")), bf_s.astype(np.int64))
    scan_users = np.zeros(nrow, dtype=np.int64)
    scan_users[sel] = np.where(n_s > 0, su, 0)
    del weights, wsum, active, total_scans, z_s, ratio, su, rs

    # ---- messiness ---------------------------------------------------------------------------
    values: dict[str, np.ndarray] = {
        "billable_users": billable,
        "licensed_users": licensed,
        "git_ops_users_l28d": git_ops,
        "unique_active_users_l28d": uau,
        "ci_builds_l28d": builds,
        "ci_internal_pipelines_l28d": pipelines,
        "deployment_users_l28d": dep_users,
        "deployments_l28d": deployments,
        "successful_deployments_l28d": successful,
        "failed_deployments_l28d": failed,
        "secure_scanner_users_l28d": scan_users,
    }
    for c, col in enumerate(SCAN_COLUMNS):
        values[col] = scans[c]
    # 2022 inputs: CI pipeline users follow CI adoption; scanning-job users follow the scanner
    # users, only where that scan type ran.
    ci_users = users("ci_users", _log_interp(zm(_CI, "builds"), (0.01, 0.25, 0.50, 0.9)) * jitter("ci_users", 0.1))
    ci_users[no_ci] = 0
    values["ci_pipeline_users_l28d"] = ci_users
    for col, scan, share in (("container_scanning_job_users_l28d", "container_scanning_scans_l28d", 0.45),
                             ("secret_detection_job_users_l28d", "secret_detection_scans_l28d", 0.8)):
        job_users = np.minimum(_sround(scan_users * share * jitter(col, 0.2), round_u(col)), scan_users)
        values[col] = np.where(values[scan] > 0, job_users, 0)
    del scans

    u_lic_acc = acc.unlicensed[ai]
    u_bill, u_lic = rr.uniform_pair("mess.seats")
    billable[u_bill < _P_BILLABLE_ZERO] = 0
    licensed[(u_lic < _P_LICENSED_ZERO) | u_lic_acc] = 0
    lic_null = (u_lic >= _P_LICENSED_ZERO) & (u_lic < _P_LICENSED_ZERO + _P_LICENSED_NULL)
    empty_payload = rr.uniform("mess.empty_payload") < _P_EMPTY_PAYLOAD
    no_fuzz = acc.no_fuzz_keys[ai]
    del u_bill, u_lic, u_lic_acc

    arrays: dict[str, pa.Array] = {}
    neg_codes = np.asarray([-1, -1, -1, -2, -2, -3, -4, -4], dtype=np.int64)
    null_thr = round(_P_NULL_CELL * 65536)
    neg_thr = null_thr + round(_P_NEG_CELL * 65536)
    for i, col in enumerate(COUNT_COLUMNS):
        if i % 4 == 0:  # four 16-bit uniforms per hash
            h = rr.bits(f"mess.cells.{i // 4}")
        field = ((h >> np.uint64(16 * (i % 4))) & _U64_LOW16).view(np.int64)
        v = values[col]
        neg = (field >= null_thr) & (field < neg_thr)
        v[neg] = neg_codes[field[neg] & 7]
        null = field < null_thr
        if col == "licensed_users":
            null |= lic_null
        elif col not in ("billable_users",):
            null |= empty_payload
        if col in ("coverage_fuzzing_scans_l28d", "api_fuzzing_scans_l28d"):
            null |= no_fuzz
        arrays[col] = _int64_array(v, null)
        del field, neg, null

    # ---- assemble ----------------------------------------------------------------------------
    attrs = acc.attribute_arrays(width)
    take_idx = pa.array(ai, type=pa.int64())
    columns: list[pa.Array] = []
    for f in USAGE_SCHEMA:
        if f.name in attrs:
            columns.append(attrs[f.name].take(take_idx))
        elif f.name == "period":
            columns.append(pa.array(periods, type=pa.string()).take(pa.array(j, type=pa.int64())))
        elif f.name == "account_age_months":
            columns.append(pa.array(age, type=pa.int64()))
        else:
            columns.append(arrays[f.name])
    return pa.Table.from_arrays(columns, schema=USAGE_SCHEMA)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def iter_usage_chunks(
    accounts: int = 2000,
    months: int = 15,
    seed: int = 42,
    end_period: str = "2026-10",
    chunk_accounts: int = 100_000,
) -> Iterator[pa.Table]:
    """Yield the usage table in chunks of ``chunk_accounts`` accounts (rows of a chunk are
    ordered by account, then period; concatenating the chunks gives ``generate_usage``)."""
    _check_args(accounts, months)
    if int(chunk_accounts) < 1:
        raise ValueError("chunk_accounts must be >= 1")
    accounts, months, chunk_accounts = int(accounts), int(months), int(chunk_accounts)
    periods = _period_list(months, end_period)
    width = _id_width(accounts)
    for start in range(0, accounts, chunk_accounts):
        yield _usage_chunk(start, min(accounts, start + chunk_accounts), months, seed, periods,
                           width)


def generate_usage(
    accounts: int = 2000, months: int = 15, seed: int = 42, end_period: str = "2026-10"
) -> pa.Table:
    """Demo usage table: one row per account per month (some months missing), columns and
    types as in ``USAGE_SCHEMA``. Same arguments give the same table."""
    chunks = list(iter_usage_chunks(accounts, months, seed, end_period))
    if not chunks:
        return USAGE_SCHEMA.empty_table()
    return pa.concat_tables(chunks).combine_chunks()


def generate_accounts(accounts: int = 2000, seed: int = 42) -> pa.Table:
    """One row per account with its static attributes (``ACCOUNTS_SCHEMA``), identical to the
    values repeated on that account's usage rows."""
    _check_args(accounts, 1)
    accounts = int(accounts)
    acc = _Accounts(0, accounts, seed)
    attrs = acc.attribute_arrays(_id_width(accounts))
    return pa.Table.from_arrays([attrs[f.name] for f in ACCOUNTS_SCHEMA], schema=ACCOUNTS_SCHEMA)


def _prefetch(chunks: Iterator[pa.Table]) -> Iterator[pa.Table]:
    """Make the next chunk in a background thread while the caller writes the current one
    (numpy and Arrow release the GIL, so generation and encoding overlap on two cores). At most
    two chunks exist at once; the order, hence the output, is unchanged."""
    sentinel = object()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="adoptscore-demo") as pool:
        pending = pool.submit(next, chunks, sentinel)
        while True:
            chunk = pending.result()
            if chunk is sentinel:
                return
            pending = pool.submit(next, chunks, sentinel)
            yield chunk
            del chunk


def write_usage(
    path: str | os.PathLike,
    accounts: int = 2000,
    months: int = 15,
    seed: int = 42,
    end_period: str = "2026-10",
    chunk_accounts: int = 100_000,
) -> int:
    """Write the demo usage table to ``path`` (``.parquet``/``.pq`` or ``.csv`` by extension),
    generating and writing ``chunk_accounts`` accounts at a time. The data goes to a temporary
    file in the same folder that is renamed over ``path`` only once complete. Returns the
    number of rows written."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv"):
        raise ValueError(f"unsupported output format {path.suffix!r}: use .parquet or .csv")
    _check_args(accounts, months)
    _period_list(int(months), end_period)  # validate before creating anything
    from adoptscore.files import AtomicFiles

    rows = 0
    with AtomicFiles() as files, open(files.temporary(path, role="demo usage data"), "wb") as fh:
        if suffix == ".csv":
            writer = pacsv.CSVWriter(fh, USAGE_SCHEMA)
        else:
            # dictionary-encode the repetitive columns only: the counts compress as well
            # without it, and encode faster
            dict_columns = [f.name for f in USAGE_SCHEMA if f.name not in COUNT_COLUMNS]
            writer = pq.ParquetWriter(fh, USAGE_SCHEMA, compression="zstd", use_dictionary=dict_columns)
        try:
            for chunk in _prefetch(iter_usage_chunks(accounts, months, seed, end_period, chunk_accounts)):
                if suffix == ".csv":
                    writer.write_table(chunk)
                elif chunk.num_rows:
                    writer.write_table(chunk, row_group_size=chunk.num_rows)  # one per chunk
                rows += chunk.num_rows
                del chunk  # do not hold it while the next one is made
        finally:
            writer.close()
        fh.flush()
        os.fsync(fh.fileno())
    return rows
