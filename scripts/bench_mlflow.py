"""Times Assay's MLflow import against raw paging and the official Python client.

Seeds an experiment with N runs through MLflow's batch endpoints (every 10th run reads a
dataset; each run has a fairness metric and a git commit tag), then, in one run of this
script, takes the median of several rounds of:

  assay full   `assay import mlflow --full` into a fresh database (fetch, normalise, SQLite)
  raw paging   POST runs/search, 1000 runs per page, until the last page (server time)
  python       MlflowClient.search_runs, 1000 per page

and, after adding 50 runs, the incremental re-import from copies of a fully imported
database. Prints the figures and the ratios the issue sets as bars.

Usage (scripts/bench-trackers.sh runs it in the MLflow venv):
  python scripts/bench_mlflow.py --url http://127.0.0.1:5095 --assay target/release/assay
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import mlflow
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

EXPERIMENT = "bench-runs"


def seed(client, experiment_id, count, first_index, started_ms):
    """Creates `count` finished runs; returns the seconds it took."""
    began = time.time()
    dataset = mlflow.data.from_numpy(
        __import__("numpy").arange(100).reshape(50, 2), source="s3://bench/data.npy",
        name="bench-data")
    for index in range(first_index, first_index + count):
        run = client.create_run(experiment_id, start_time=started_ms + index,
                                run_name=f"bench-{index:05d}")
        run_id = run.info.run_id
        now = started_ms + index
        client.log_batch(run_id, metrics=[
            Metric("auc", 0.7 + (index % 100) / 1000, now, 0),
            Metric("fairness.sex.demographic_parity_difference", (index % 17) / 100, now, 0),
        ], params=[Param("lr", "0.01")], tags=[
            RunTag("mlflow.source.git.commit", f"{index:040x}"),
        ])
        if index % 10 == 0:
            client.log_inputs(run_id, datasets=[mlflow.entities.DatasetInput(
                dataset._to_mlflow_entity(),
                tags=[mlflow.entities.InputTag("mlflow.data.context", "training")])])
        client.set_terminated(run_id, "FINISHED", end_time=now + 1000)
    return time.time() - began


def raw_paging(url, experiment_id):
    token, runs = None, 0
    while True:
        body = {"experiment_ids": [experiment_id], "max_results": 1000}
        if token:
            body["page_token"] = token
        request = urllib.request.Request(
            f"{url}/api/2.0/mlflow/runs/search", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            page = json.loads(response.read())
        runs += len(page.get("runs", []))
        token = page.get("next_page_token")
        if not token:
            return runs


def python_client(client, experiment_id):
    token, runs = None, 0
    while True:
        page = client.search_runs([experiment_id], max_results=1000, page_token=token)
        runs += len(page)
        token = page.token
        if not token:
            return runs


def assay_import(assay, db, url, full):
    args = [assay, "--db", db, "import", "mlflow", "--url", url, "--experiment", EXPERIMENT,
            "--json"]
    if full:
        args.append("--full")
    began = time.time()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    elapsed = time.time() - began
    if done.returncode != 0:
        sys.exit(f"assay import failed: {done.stderr.strip()}")
    return elapsed, json.loads(done.stdout)


def timed(function, *args):
    began = time.time()
    result = function(*args)
    return time.time() - began, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--assay", required=True)
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    mlflow.set_tracking_uri(args.url)
    client = MlflowClient(args.url)

    experiment = client.get_experiment_by_name(EXPERIMENT)
    started_ms = 1_790_000_000_000
    if experiment is None:
        experiment_id = client.create_experiment(EXPERIMENT)
        seconds = seed(client, experiment_id, args.runs, 0, started_ms)
        print(f"seeded {args.runs} runs in {seconds:.0f} s")
    else:
        experiment_id = experiment.experiment_id
    work = tempfile.mkdtemp(prefix="assay-bench-")
    figures = {"assay full": [], "raw paging": [], "python client": []}
    try:
        for round_number in range(args.rounds):
            # Interleaved, so that a busy moment of the machine hits every contender.
            db = os.path.join(work, f"full-{round_number}.db")
            elapsed, outcome = assay_import(args.assay, db, args.url, True)
            figures["assay full"].append(elapsed)
            held = outcome["import"]["counts"]["runs"]
            elapsed, paged = timed(raw_paging, args.url, experiment_id)
            figures["raw paging"].append(elapsed)
            elapsed, listed = timed(python_client, client, experiment_id)
            figures["python client"].append(elapsed)
            print(f"round {round_number + 1}: assay {figures['assay full'][-1]:.2f} s "
                  f"({held} runs), raw {figures['raw paging'][-1]:.2f} s ({paged}), "
                  f"python {figures['python client'][-1]:.2f} s ({listed})")
        medians = {name: statistics.median(times) for name, times in figures.items()}

        # 50 new runs, then an incremental import from copies of a fully imported database.
        # Started now, so after every run seeded before (the watermark is a start time).
        now_ms = int(time.time() * 1000)
        seed(client, experiment_id, 50, now_ms - started_ms, started_ms)
        incremental = []
        for round_number in range(args.rounds):
            db = os.path.join(work, f"incremental-{round_number}.db")
            shutil.copy(os.path.join(work, f"full-{round_number}.db"), db)
            elapsed, outcome = assay_import(args.assay, db, args.url, False)
            counts = outcome["import"]["counts"]
            incremental.append(elapsed)
            print(f"incremental {round_number + 1}: {elapsed:.2f} s, {counts['new']} new, "
                  f"{counts['changed']} changed")
        medians["assay incremental"] = statistics.median(incremental)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"median of {args.rounds} ({held} runs):")
    for name, value in medians.items():
        print(f"  {name:18} {value:6.2f} s")
    full_vs_raw = medians["assay full"] / medians["raw paging"]
    incremental_share = medians["assay incremental"] / medians["assay full"]
    print(f"  assay full / raw paging      {full_vs_raw:.2f}x (bar: at most 1.10x)")
    print(f"  assay full / python client   {medians['assay full'] / medians['python client']:.2f}x")
    print(f"  incremental / full           {incremental_share:.1%} (bar: under 10%)")


if __name__ == "__main__":
    main()
