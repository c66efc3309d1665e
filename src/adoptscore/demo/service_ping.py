"""Demo Service Ping payloads: what the demo population's GitLab instances would send.

The demo population (:mod:`adoptscore.demo.generator`) is one usage row per customer per month.
Here each customer runs one to three self-managed GitLab instances (a production instance and,
for some, a staging or team instance), and each instance sends one nested JSON payload per month
in Service Ping's shape:

* the production instance carries the customer's usage row exactly (so scoring it with the
  ``gitlab`` rubric scores the demo customer); other instances carry a share of it;
* the Compliance, Package, GitOps and Agile counters are drawn from the latent adoption of those
  use cases, derived from the population's hidden truth (:func:`extended_truth`), so their scores
  mean something and their thresholds can be calibrated and checked against the truth;
* every instance runs a GitLab version that lags the latest release and is upgraded now and then:
  old versions lack newer keys (billable users before 14.0, unique active users and the license's
  SHA-256 before 15.2, the newer CI builds key before 16.10, which replaces the older one) and
  newer versions lack removed ones (the license's MD5 from 16.2);
* messiness: failure codes (negative counters), missing months, some earlier weekly payloads in
  the same month (the latest one counts), and ~2,000 filler metrics per payload
  (:mod:`adoptscore.demo.ping_filler`), as real payloads carry.

Everything is deterministic in the arguments. The key paths written here are GitLab's, typed
independently of the bundled mapping file, so the mapping is tested against them.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoptscore.demo.generator import (
    _account_keys,
    _check_args,
    _id_width,
    _Rand,
    generate_usage,
)
from adoptscore.demo.ping_filler import add_filler
from adoptscore.demo.truth import latent_adoption

EXTENDED_USE_CASES = ("compliance", "package", "gitops", "agile")
#: Each extended use case's latent level: a blend of two core use cases' truth plus its own part.
BLEND = {"compliance": (("security", 0.45), ("scm", 0.35)), "package": (("ci", 0.55), ("cd", 0.2)),
         "gitops": (("cd", 0.55), ("ci", 0.2)), "agile": (("engagement", 0.45), ("scm", 0.35))}
OWN = 0.6
#: Below this latent level a customer does not use the use case's features at all (counters are 0).
UNUSED_Z = -1.3
#: Latent level every extended use case must stay above for the healthy cohort (Yellow zone: -0.43..0.43).
HEALTHY_Z = 0.1

_Z = (-2.6, -0.43, 0.43, 2.6)
# per-metric value at z = -2.6, -0.43, 0.43, 2.6 (per billable user, or per project for *_projects)
_EXT = {
    "compliance": {"compliance_framework_projects": ("P", (0.002, 0.03, 0.15, 0.7)),
                   "code_owner_approval_projects": ("P", (0.002, 0.03, 0.12, 0.5)),
                   "approval_rule_mrs_l28d": ("B", (0.01, 0.3, 1.5, 6.0)),
                   "compliance_users_l28d": ("B", (0.002, 0.01, 0.04, 0.15))},
    "package": {"package_users_l28d": ("B", (0.003, 0.03, 0.12, 0.45)),
                "packages_l28d": ("B", (0.02, 0.4, 3.0, 25.0)),
                "package_projects": ("P", (0.003, 0.04, 0.15, 0.5)),
                "deploy_token_share": ("S", (0.005, 0.05, 0.25, 0.7))},
    "gitops": {"kubernetes_agents": ("P", (0.0005, 0.006, 0.03, 0.12)),
               "agent_ci_tunnel_users_l28d": ("B", (0.001, 0.01, 0.05, 0.25)),
               "terraform_state_users_l28d": ("B", (0.001, 0.01, 0.04, 0.2)),
               "terraform_state_projects": ("P", (0.0005, 0.01, 0.05, 0.25))},
    "agile": {"issue_authors_l28d": ("B", (0.02, 0.15, 0.4, 0.9)),
              "issue_editors_l28d": ("B", (0.03, 0.2, 0.5, 0.95)),
              "epic_authors_l28d": ("B", (0.001, 0.01, 0.05, 0.2)),
              "iteration_users_l28d": ("B", (0.002, 0.02, 0.1, 0.4)),
              "value_stream_users_l28d": ("B", (0.001, 0.01, 0.04, 0.15))},
}
# where GitLab puts each counter (and from which release index, 0 = 13.0, an instance sends it)
_KEYS = {
    "git_ops_users_l28d": ("usage_activity_by_stage_monthly.create.action_monthly_active_users_project_repo", 0),
    "ci_internal_pipelines_l28d": ("counts_monthly.ci_internal_pipelines", 0),
    "deployment_users_l28d": ("usage_activity_by_stage_monthly.release.deployments", 0),
    "deployments_l28d": ("counts_monthly.deployments", 0),
    "successful_deployments_l28d": ("counts_monthly.successful_deployments", 0),
    "failed_deployments_l28d": ("counts_monthly.failed_deployments", 0),
    "secure_scanner_users_l28d": ("usage_activity_by_stage_monthly.secure.user_unique_users_all_secure_scanners", 0),
    "sast_scans_l28d": ("usage_activity_by_stage_monthly.secure.sast_scans", 0),
    "dast_scans_l28d": ("usage_activity_by_stage_monthly.secure.dast_scans", 0),
    "secret_detection_scans_l28d": ("usage_activity_by_stage_monthly.secure.secret_detection_scans", 0),
    "dependency_scanning_scans_l28d": ("usage_activity_by_stage_monthly.secure.dependency_scanning_scans", 0),
    "container_scanning_scans_l28d": ("usage_activity_by_stage_monthly.secure.container_scanning_scans", 0),
    "coverage_fuzzing_scans_l28d": ("usage_activity_by_stage_monthly.secure.coverage_fuzzing_scans", 6),
    "api_fuzzing_scans_l28d": ("usage_activity_by_stage_monthly.secure.api_fuzzing_scans", 6),
    "ci_pipeline_users_l28d": ("usage_activity_by_stage_monthly.verify.ci_pipelines", 0),
    "container_scanning_job_users_l28d": ("usage_activity_by_stage_monthly.secure.user_container_scanning_jobs", 0),
    "secret_detection_job_users_l28d": ("usage_activity_by_stage_monthly.secure.user_secret_detection_jobs", 0),
    "projects": ("counts.projects", 0),
    "compliance_framework_projects": ("usage_activity_by_stage.manage.projects_with_compliance_framework", 2),
    "code_owner_approval_projects": ("usage_activity_by_stage.create.projects_enforcing_code_owner_approval", 0),
    "approval_rule_mrs_l28d": ("usage_activity_by_stage_monthly.create.merge_requests_with_added_rules", 0),
    "compliance_users_l28d": ("redis_hll_counters.compliance.compliance_total_unique_counts_monthly", 4),
    "package_users_l28d": ("redis_hll_counters.user_packages.user_packages_total_unique_counts_monthly", 3),
    "packages_l28d": ("counts_monthly.packages", 0),
    "package_projects": ("counts.projects_with_packages", 0),
    "package_pushes": ("counts.package_events_i_package_push_package", 3),
    "deploy_token_package_pushes": ("counts.package_events_i_package_push_package_by_deploy_token", 3),
    "kubernetes_agents": ("counts.kubernetes_agents_with_token", 9),
    "agent_ci_tunnel_users_l28d": ("redis_hll_counters.kubernetes_agent.agent_users_using_ci_tunnel_monthly", 18),
    "terraform_state_users_l28d": ("redis_hll_counters.terraform.p_terraform_state_api_unique_users_monthly", 0),
    "terraform_state_projects": ("counts.projects_with_terraform_states", 0),
    "issue_authors_l28d": ("usage_activity_by_stage_monthly.plan.issues", 0),
    "issue_editors_l28d": ("redis_hll_counters.issues_edit.issues_edit_total_unique_counts_monthly", 0),
    "epic_authors_l28d": ("usage_activity_by_stage_monthly.plan.epics", 0),
    "iteration_users_l28d": ("redis_hll_counters.issues_edit.g_project_management_issue_iteration_changed_monthly", 7),
    "value_stream_users_l28d": ("redis_hll_counters.analytics.g_analytics_valuestream_monthly", 0),
}
_USER_COUNTS = {"git_ops_users_l28d", "deployment_users_l28d", "secure_scanner_users_l28d", "ci_pipeline_users_l28d",
                "container_scanning_job_users_l28d", "secret_detection_job_users_l28d", "unique_active_users_l28d"}
RELEASE_14_0, RELEASE_15_2, RELEASE_16_2, RELEASE_16_10 = 12, 26, 38, 46
_ROLES = ("production", "staging", "team")
_INSTALLS = ("omnibus-gitlab", "omnibus-gitlab", "gitlab-helm-chart", "gitlab-operator", "gitlab-development-kit")


# -- versions --------------------------------------------------------------------------------------
def release_index(period: str) -> int:
    """GitLab's latest release in a month, counted from 13.0 (May 2020): one minor release a month, x.0 each May."""
    year, month = (int(p) for p in period.split("-"))
    return (year - 2020) * 12 + (month - 5)


def version_text(index: int, patch: int = 0) -> str:
    """``46`` -> ``'16.10.0-ee'``."""
    index = max(0, int(index))
    return f"{13 + index // 12}.{index % 12}.{patch}-ee"


# -- the population's instances and truth --------------------------------------------------------------
def demo_instances(accounts: int = 2000, seed: int = 42) -> pd.DataFrame:
    """The instances each demo customer runs: one row per instance.

    Columns: account_id, instance_id (the payload's uuid), instance_no (0 = production), role, share
    (its fraction of the customer's users), hostname, installation_type, lag (releases behind the
    latest), cadence (months between upgrades), phase, projects_per_user, license_md5, license_id,
    license_subscription_id (shared by the customer's instances).
    """
    _check_args(accounts, 1)
    width = _id_width(int(accounts))
    rows = []
    for index in range(int(accounts)):
        rng = np.random.default_rng([int(seed), 0x1257, index])
        account = f"A{index + 1:0{width}d}"
        subscription = "2c92a0" + hashlib.sha256(f"{seed}/{account}/subscription".encode()).hexdigest()[:26]
        count = 1 + int(rng.choice(3, p=(0.6, 0.3, 0.1)))
        slug = f"customer{index + 1}"
        for number in range(count):
            digest = hashlib.sha256(f"{seed}/{account}/{number}".encode()).hexdigest()
            uuid = f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"
            lag_group = rng.choice(5, p=(0.45, 0.30, 0.15, 0.07, 0.03))
            low, high = ((0, 2), (3, 8), (9, 20), (21, 40), (41, 60))[lag_group]
            lag = int(rng.integers(low, high + 1)) + (int(rng.integers(0, 4)) if number else 0)
            rows.append({
                "account_id": account, "instance_id": uuid, "instance_no": number, "role": _ROLES[min(number, 2)],
                "share": 1.0 if number == 0 else float(np.exp(rng.uniform(np.log(0.03), np.log(0.25)))),
                "hostname": f"gitlab{'' if number == 0 else '-' + _ROLES[min(number, 2)]}.{slug}.example",
                "installation_type": _INSTALLS[int(rng.integers(0, 4 if number == 0 else 5))],
                "lag": lag, "cadence": int(rng.choice((1, 3, 6, 12), p=(0.3, 0.35, 0.25, 0.1))),
                "phase": int(rng.integers(0, 12)),
                "projects_per_user": float(np.exp(rng.uniform(np.log(0.4), np.log(3.0)))),
                "license_md5": hashlib.md5(f"{seed}/{account}/{number}/license".encode()).hexdigest(),
                "license_id": 100000 + index * 4 + number,
                "license_subscription_id": subscription,
            })
    return pd.DataFrame(rows)


def extended_truth(accounts: int = 2000, months: int = 15, seed: int = 42, end_period: str = "2026-10") -> pd.DataFrame:
    """The latent adoption of Compliance, Package, GitOps and Agile: one row per account, period and use case.

    ``z = w1 * z(core 1) + w2 * z(core 2) + 0.6 * own`` with the core use cases' truth
    (:func:`adoptscore.demo.truth.latent_adoption`, see :data:`BLEND`) and an own part per account
    and use case, so the extended use cases move with the customer's trajectory. Columns as
    ``latent_adoption``: account_id, period, months_back, use_case, z, active, segment, industry,
    tier, owner, arr, trajectory, ultimate.
    """
    truth = latent_adoption(accounts, months, seed, end_period)
    wide = truth.pivot(index=["account_id", "period"], columns="use_case", values="z")
    rand = _Rand(_account_keys(0, int(accounts), seed))
    width = _id_width(int(accounts))
    ids = [f"A{i + 1:0{width}d}" for i in range(int(accounts))]
    account_of_row = wide.index.get_level_values("account_id")
    frames = []
    for use_case in EXTENDED_USE_CASES:
        own = pd.Series(rand.normal("service_ping.level." + use_case), index=ids)
        (first, w1), (second, w2) = BLEND[use_case]
        z = w1 * wide[first] + w2 * wide[second] + OWN * own.loc[account_of_row].to_numpy()
        frames.append(pd.DataFrame({"account_id": account_of_row, "period": wide.index.get_level_values("period"),
                                    "use_case": use_case, "z": z.to_numpy()}))
    ext = pd.concat(frames, ignore_index=True)
    keys = truth.drop_duplicates(["account_id", "period"]).drop(columns=["use_case", "z"])
    return ext.merge(keys, on=["account_id", "period"], how="left")[
        ["account_id", "period", "months_back", "use_case", "z", "active", "segment", "industry", "tier", "owner",
         "arr", "trajectory", "ultimate"]]


def healthy_instances(accounts: int = 2000, months: int = 15, seed: int = 42, end_period: str = "2026-10",
                      lookback: int = 6) -> list[str]:
    """Instance ids of the customers a CS team would name as healthy in all four extended use cases.

    From the truth, not the scores: every extended use case's latent level stayed above
    :data:`HEALTHY_Z` over the last ``lookback`` months, the customer was active all that time and
    neither declining nor dropping. All of a healthy customer's instances are in the cohort.
    """
    truth = extended_truth(accounts, months, seed, end_period)
    recent = truth[(truth["months_back"] < min(lookback, months)) & truth["active"]]
    lowest = recent.pivot_table(index="account_id", columns="use_case", values="z", aggfunc="min")
    seen = recent.groupby("account_id")["period"].nunique()
    trajectory = recent.drop_duplicates("account_id").set_index("account_id")["trajectory"]
    healthy = ((lowest[list(EXTENDED_USE_CASES)] > HEALTHY_Z).all(axis=1)
               & trajectory.loc[lowest.index].isin(["flat", "growing"])
               & (seen.loc[lowest.index] >= min(lookback, months)))
    instances = demo_instances(accounts, seed)
    return sorted(instances.loc[instances["account_id"].isin(lowest.index[healthy]), "instance_id"])


# -- payloads ---------------------------------------------------------------------------------------
def generate_payloads(accounts: int = 100, months: int = 6, seed: int = 42, end_period: str = "2026-10", *,
                      filler: bool = True, weekly: float = 0.1) -> Iterator[tuple[str, dict]]:
    """Yield ``(file name, payload)`` for every instance and month, oldest month first per instance.

    ``filler``: add the ~2,000 unscored metrics real payloads carry (off: only what is scored, much
    faster). ``weekly``: share of instance-months that also have an earlier weekly payload.
    """
    usage = generate_usage(accounts, months, seed, end_period)
    rows = usage.to_pylist()
    ext = extended_truth(accounts, months, seed, end_period)
    z_of = {(a, p, u): z for a, p, u, z in zip(ext["account_id"], ext["period"], ext["use_case"], ext["z"])}
    instances = demo_instances(accounts, seed)
    by_account: dict[str, list[dict]] = {}
    for record in instances.to_dict("records"):
        by_account.setdefault(record["account_id"], []).append(record)
    for row in rows:
        account_index = int(row["account_id"][1:]) - 1
        z = {u: z_of[(row["account_id"], row["period"], u)] for u in EXTENDED_USE_CASES}
        for instance in by_account[row["account_id"]]:
            key = [int(seed), 0x5E41, account_index, instance["instance_no"], _month_number(row["period"])]
            rng = np.random.default_rng(key)
            day = int(rng.integers(22, 29))
            early = rng.random() < weekly
            name = f"{instance['instance_id']}-{row['period']}"
            if early:
                yield f"{name}-week.json", _payload(row, instance, z, np.random.default_rng([*key, 1]), day - 7,
                                                    filler, scale=0.93)
            yield f"{name}.json", _payload(row, instance, z, np.random.default_rng([*key, 0]), day, filler)


def write_payloads(folder: str | os.PathLike, accounts: int = 100, months: int = 6, seed: int = 42,
                   end_period: str = "2026-10", *, filler: bool = True, weekly: float = 0.1,
                   limit: int | None = None) -> int:
    """Write :func:`generate_payloads` as one JSON file each into ``folder`` (created); returns the count.

    Each file is written to a temporary name and renamed, so a folder never holds a half payload.
    ``limit`` stops after that many files.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, payload in generate_payloads(accounts, months, seed, end_period, filler=filler, weekly=weekly):
        if limit is not None and count >= limit:
            break
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(payload))
        os.replace(tmp, folder / name)
        count += 1
    return count


def _month_number(period: str) -> int:
    year, month = (int(p) for p in period.split("-"))
    return year * 12 + month


def _put(payload: dict, path: str, value: Any) -> None:
    node = payload
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value


def _scaled(value: Any, factor: float, rng: np.random.Generator) -> Any:
    """A share of a count; failure codes and missing values stay as they are."""
    if value is None or value < 0:
        return value
    return int(np.floor(value * factor * np.exp(0.15 * rng.standard_normal()) + rng.random()))


def _interp(z: float, anchors: tuple[float, float, float, float]) -> float:
    return float(np.exp(np.interp(z, _Z, np.log(anchors))))


def _payload(row: dict, instance: dict, z: dict[str, float], rng: np.random.Generator, day: int, filler: bool,
             scale: float = 1.0) -> dict:
    period = row["period"]
    release = max(0, release_index(period) - instance["lag"] - (release_index(period) + instance["phase"])
                  % instance["cadence"])
    recorded = _dt.datetime(int(period[:4]), int(period[5:]), day, int(rng.integers(0, 24)), int(rng.integers(0, 60)),
                            int(rng.integers(0, 60)), int(rng.integers(0, 1000)) * 1000, tzinfo=_dt.UTC)
    share = instance["share"] * scale
    primary = instance["instance_no"] == 0 and scale == 1.0
    counts = {c: row[c] if primary else _scaled(row[c], share, rng) for c in
              (*_KEYS.keys() & row.keys(), "billable_users", "licensed_users", "unique_active_users_l28d", "ci_builds_l28d")}
    billable = counts["billable_users"]
    if not primary and billable is not None and row["billable_users"]:
        billable = counts["billable_users"] = max(1, billable)
        counts["licensed_users"] = int(np.ceil(billable * rng.uniform(1.0, 1.5)))
    for column in _USER_COUNTS:
        if not primary and counts.get(column) is not None and counts[column] >= 0 and billable is not None:
            counts[column] = min(counts[column], billable)
    counts.update(_extended_counts(row, instance, z, rng, share))

    age = int(row["account_age_months"])
    start_month = _month_number(period) - age - 1
    starts = _dt.date(start_month // 12, start_month % 12 + 1, 1)
    expires = _dt.date(starts.year + 1 + age // 12, starts.month, 1)
    plan = "ultimate" if "ultimate" in row["tier"].lower() else "premium"
    payload: dict[str, Any] = {}
    if filler:
        add_filler(payload, release, max(1.0, float(billable or 1)), rng)
    payload.update({
        "recorded_at": recorded.strftime("%Y-%m-%dT%H:%M:%S.") + f"{recorded.microsecond // 1000:03d}Z",
        "uuid": instance["instance_id"], "hostname": instance["hostname"],
        "version": version_text(release, int(rng.integers(0, 8))), "installation_type": instance["installation_type"],
        "active_user_count": counts["billable_users"], "edition": "EEU" if plan == "ultimate" else "EEP",
        "license_id": instance["license_id"],
        "historical_max_users": counts["licensed_users"],
        "licensee": {"Name": "GitLab administrator", "Email": f"gitlab-admin@{instance['hostname']}",
                     "Company": row["account_name"]},
        "license_user_count": counts["licensed_users"], "license_starts_at": starts.isoformat(),
        "license_expires_at": expires.isoformat(), "license_plan": plan, "license_add_ons": {},
        "license_trial": False, "container_registry_enabled": bool(z["package"] > UNUSED_Z),
    })
    # GitLab sends the license's MD5 until 16.1 and its SHA-256 from 15.2 (license_md5 was removed in 16.2)
    if release < RELEASE_16_2:
        payload["license_md5"] = instance["license_md5"]
    if release >= RELEASE_15_2:
        payload["license_sha256"] = hashlib.sha256(f"{instance['license_md5']}/sha256".encode()).hexdigest()
    if release >= RELEASE_14_0:
        payload["license_billable_users"] = counts["billable_users"]
        payload["license_subscription_id"] = instance["license_subscription_id"]
    payload["database"] = {"adapter": "postgresql", "version": "14.11" if release > 40 else "12.12"}
    payload["topology"] = {"duration_s": round(float(rng.uniform(0.2, 3.0)), 3),
                           "nodes": [{"node_cpus": 8, "node_services": [{"name": "gitlab-rails"}, {"name": "gitaly"}]}]}
    for column, (path, since) in _KEYS.items():
        value = counts.get(column)
        if value is not None and release >= since:
            _put(payload, path, value)
    if counts.get("unique_active_users_l28d") is not None and release >= RELEASE_15_2:
        _put(payload, "redis_hll_counters.manage.unique_active_users_monthly", counts["unique_active_users_l28d"])
    if counts.get("ci_builds_l28d") is not None:
        key = "counts.count_total_create_ci_build_monthly" if release >= RELEASE_16_10 else "counts_monthly.ci_builds"
        _put(payload, key, counts["ci_builds_l28d"])
    return payload


@lru_cache(maxsize=65536)
def _offset(instance_key: str, metric: str) -> float:
    seed = int(hashlib.sha256(f"{instance_key}/{metric}".encode()).hexdigest()[:16], 16)
    return 0.25 * float(np.random.default_rng(seed).standard_normal())


def _extended_counts(row: dict, instance: dict, z: dict[str, float], rng: np.random.Generator,
                     share: float) -> dict[str, int]:
    """Compliance, Package, GitOps and Agile counters of one instance-month, from the latent levels."""
    billable = row["billable_users"] if row["billable_users"] and row["billable_users"] > 0 else None
    users = max(1.0, (billable or 20) * share)
    months_old = max(0, int(row["account_age_months"]))
    projects = max(1, int(users * instance["projects_per_user"] * (1.0 + 0.01 * min(months_old, 36))))
    out: dict[str, int] = {"projects": projects}
    for use_case, metrics in _EXT.items():
        level = z[use_case]
        unused = level < UNUSED_Z
        for metric, (base, anchors) in metrics.items():
            # a stable offset per instance and metric, plus month-to-month noise
            offset = _offset(instance["license_md5"], metric)
            value = _interp(level + offset, anchors) * float(np.exp(0.12 * rng.standard_normal()))
            if unused:
                value = 0.0
            if base == "S":
                pushes = out["packages_l28d"] * float(rng.uniform(6, 24))
                out["package_pushes"] = int(pushes)
                out["deploy_token_package_pushes"] = int(min(pushes, pushes * value))
                continue
            amount = value * (projects if base == "P" else users)
            count = int(np.floor(amount + rng.random()))
            if not unused:
                count = max(1, count)  # a customer that uses the feature at all has someone using it
            if base == "P":
                count = min(count, projects)
            elif metric.endswith(("users_l28d", "authors_l28d", "editors_l28d")):
                count = min(count, int(users))  # people, not events: at most the instance's users
            out[metric] = count
    # a rare failure code, as real counters have
    for metric in list(out):
        if metric != "projects" and rng.random() < 0.004:
            out[metric] = int(rng.choice((-1, -2, -3)))
    return out
