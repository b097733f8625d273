#!/usr/bin/env python3
"""Runs the official `wandb` public API client against the stand-in and checks that
everything it parses equals the fixture world.

This is the evidence that the stand-in's response shapes are the ones the W&B SDK
accepts (pydantic validation included). It says nothing about the live W&B server.

Usage: check_official_client.py URL [--world tests/wandb-standin/world.json]
Env:   WANDB_API_KEY (40 characters; the key the stand-in accepts)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def isolate_wandb_env(tmp):
    # No telemetry, no writes to the user's home: everything lands in a temp dir.
    os.environ["WANDB_ERROR_REPORTING"] = "false"
    os.environ["WANDB_SILENT"] = "true"
    for name in ("WANDB_DIR", "WANDB_CONFIG_DIR", "WANDB_CACHE_DIR", "WANDB_DATA_DIR",
                 "WANDB_ARTIFACT_DIR"):
        os.environ[name] = tmp
    os.environ.pop("WANDB_BASE_URL", None)


def same(a, b):
    """Equality that treats NaN as equal to NaN, recursively."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def eq(self, what, got, want):
        if same(got, want):
            self.passed += 1
        else:
            self.failures.append(f"{what}: got {got!r}, want {want!r}")


def expected_config(run):
    raw = json.loads(run["config"] or "{}")
    return {k: v["value"] for k, v in raw.items() if k not in ("_wandb", "wandb_version")}


def artifact_name(world, artifact):
    seq = world["collections"][artifact["artifactSequence"]["$ref"].split(":", 1)[1]]
    return f"{seq['name']}:v{artifact['versionIndex']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--world", default=os.path.join(HERE, "world.json"))
    args = parser.parse_args()
    key = os.environ.get("WANDB_API_KEY", "")
    if len(key) != 40:
        sys.exit("WANDB_API_KEY must be set to the stand-in's 40-character key")
    with open(args.world, encoding="utf-8") as f:
        world = json.load(f)

    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="wandb-check-")
    isolate_wandb_env(tmp)
    import wandb  # imported after the env is set, so it never sees the user's settings

    c = Checker()
    api = wandb.Api(overrides={"base_url": args.url}, timeout=10)
    path = "acme/credit-scoring"
    fixture_runs = sorted(world["runs"].values(), key=lambda r: r["createdAt"])

    # Lazy listing (the SDK default) with a small page size, so the SDK pages too.
    runs = list(api.runs(path, order="+created_at", per_page=3))
    c.eq("run ids (lazy)", [r.id for r in runs], [r["name"] for r in fixture_runs])
    for run, want in zip(runs, fixture_runs):
        rid = want["name"]
        c.eq(f"{rid} name", run.name, want["displayName"])
        c.eq(f"{rid} state", run.state, want["state"])
        c.eq(f"{rid} commit", run.commit, want["commit"])
        c.eq(f"{rid} tags", list(run.tags), want["tags"])
        c.eq(f"{rid} job_type", run.job_type, want["jobType"])
        c.eq(f"{rid} created_at", run.created_at, want["createdAt"])
        c.eq(f"{rid} config", dict(run.config), expected_config(want))
        c.eq(f"{rid} summary", dict(run.summary_metrics),
             json.loads(want["summaryMetrics"]))
        used = sorted(a.name for a in run.used_artifacts())
        c.eq(f"{rid} used", used,
             sorted(artifact_name(world, world["artifacts"][i]) for i in want["_inputs"]))
        logged = run.logged_artifacts()
        c.eq(f"{rid} logged", sorted((a.name, a.type) for a in logged), sorted(
            (artifact_name(world, world["artifacts"][i]),
             world["artifacts"][i]["artifactType"]["name"]) for i in want["_outputs"]))
        for artifact in logged:
            fixture = world["artifacts"][artifact.id]
            c.eq(f"{artifact.name} digest", artifact.digest, fixture["digest"])
            c.eq(f"{artifact.name} metadata", artifact.metadata, json.loads(fixture["metadata"]))

    # Eager listing: the Runs query then carries config and summary itself.
    eager = list(api.runs(path, order="-created_at", lazy=False))
    c.eq("run ids (eager)", [r.id for r in eager], [r["name"] for r in reversed(fixture_runs)])
    for run in eager:
        want = world["runs"][run.id]
        c.eq(f"{run.id} config (eager)", dict(run.config), expected_config(want))

    # A filter the importer relies on for incremental imports.
    newer = list(api.runs(path, filters={"createdAt": {"$gt": "2026-10-02T10:30:00"}}))
    c.eq("filtered ids", sorted(r.id for r in newer), ["a2c8d5cc", "z9w3r7dd"])

    # Artifact by name, its consumers, producer and registry links.
    model = api.artifact(f"{path}/credit-model:v1")
    c.eq("model type", model.type, "model")
    c.eq("model source aliases", sorted(model.aliases), ["latest"])
    c.eq("model used_by", sorted(r.id for r in model.used_by()), ["a2c8d5cc"])
    c.eq("model logged_by", model.logged_by().id, "p7q1m4bb")
    linked = sorted((a.project, a.name, sorted(a.aliases)) for a in model.linked_artifacts)
    c.eq("model linked", linked, [
        ("credit-scoring", "shortlist:v0", ["candidate", "v0"]),
        ("model-registry", "credit-scoring:v0", ["staging", "v0"]),
        ("wandb-registry-model", "credit-scoring-model:v1", ["latest", "production", "v1"]),
    ])
    train = api.artifact(f"{path}/credit-train:latest")
    c.eq("dataset used_by", sorted(r.id for r in train.used_by()),
         ["k3b9x2aa", "p7q1m4bb", "z9w3r7dd"])

    # Every selected field must exist in the fixture: a missing one means the stand-in
    # (or a query) diverges from what the SDK expects.
    with urllib.request.urlopen(f"{args.url}/_standin/requests", timeout=10) as resp:
        # Only the SDK's own requests: other clients may share the stand-in.
        log = [e for e in json.load(resp) if "W&B" in e.get("agent", "")
               or "wandb" in e.get("agent", "").lower()]
    ops = sorted({e["operation"] for e in log if e.get("operation")})
    for entry in log:
        if entry.get("missing") or entry.get("errors"):
            c.failures.append(f"request {entry.get('operation')}: missing={entry.get('missing')} "
                              f"errors={entry.get('errors')}")
    elapsed = time.monotonic() - started
    print(f"wandb {wandb.__version__}: {len(log)} requests, operations: {', '.join(ops)}")
    for failure in c.failures:
        print(f"FAIL {failure}")
    print(f"official-client check: {c.passed} passed, {len(c.failures)} failed "
          f"in {elapsed:.1f}s")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
