#!/usr/bin/env python3
"""Fill an empty MLflow server with the scenario the Assay import tests check.

Scenario (synthetic data, fixed seeds, so every number is reproducible with the pinned
package versions of scripts/mlflow-server.sh):

* experiment ``credit-scoring-governance``;
* datasets ``credit-train`` and ``credit-eval``, logged as inputs of every run with the
  contexts ``training`` and ``evaluation``;
* run ``train-baseline``: a plain logistic regression on data with a built-in income gap
  between the sexes, so its fairness metrics break the thresholds;
* run ``train-mitigated``: the same model post-processed by Fairlearn's ThresholdOptimizer
  under a demographic-parity constraint on ``sex``, which passes;
* per run: git commit tags, params, a loss history, evaluation metrics tied to the logged
  model and the evaluation dataset, Fairlearn metrics named
  ``fairness.<feature>.<metric>`` (overall) and ``fairness.<feature>.<metric>.<group>``
  (per group), thresholds as ``fairness.threshold.<metric>`` tags, and the JSON report
  ``fairness/fairness_report.json`` (schema ``fairness-report/v1``);
* registered model ``credit-scoring-model``: version 1 from the baseline run with alias
  ``baseline``, version 2 from the mitigated run with alias ``champion``.

The summary file (--summary) lists every id and the exact values logged, for the tests.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import fairlearn  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from fairlearn.metrics import (  # noqa: E402
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from fairlearn.postprocessing import ThresholdOptimizer  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score  # noqa: E402

EXPERIMENT = "credit-scoring-governance"
MODEL = "credit-scoring-model"
FEATURES = ["income", "debt", "years_employed"]
SENSITIVE = ["sex", "age_group"]
REPO = "https://example.invalid/acme/credit-model.git"
# Governance limits: differences pass when |value| <= limit, ratios when value >= limit.
THRESHOLDS = {
    "demographic_parity_difference": 0.1,
    "demographic_parity_ratio": 0.8,
    "equalized_odds_difference": 0.1,
}
VARIANTS = [
    ("baseline", "3f2a9c1d0b7e4a5f8c6d2e1b0a9f8e7d6c5b4a31", False),
    ("mitigated", "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c", True),
]


def synthetic_applicants(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], size=rows, p=[0.45, 0.55])
    age_group = rng.choice(["18-30", "31-50", "51+"], size=rows, p=[0.3, 0.45, 0.25])
    # The income gap is the bias the baseline model picks up.
    income = rng.normal(50, 15, rows) + np.where(sex == "male", 6.0, 0.0)
    debt = rng.normal(20, 8, rows)
    years = rng.integers(0, 30, rows)
    score = 0.08 * (income - 50) - 0.1 * (debt - 20) + 0.03 * years
    approved = (rng.random(rows) < 1 / (1 + np.exp(-score))).astype(int)
    return pd.DataFrame({
        "income": income.round(2),
        "debt": debt.round(2),
        "years_employed": years,
        "sex": sex,
        "age_group": age_group,
        "approved": approved,
    })


def metric_key(text: str) -> str:
    """MLflow metric names allow letters, digits and ``_-./ `` only (``51+`` becomes ``51_``)."""
    return "".join(c if c.isalnum() or c in "_-./ " else "_" for c in text)


def verdict(metric: str, value: float):
    limit = THRESHOLDS.get(metric)
    if limit is None:
        return None
    return bool(value >= limit) if metric.endswith("_ratio") else bool(abs(value) <= limit)


def fairness(y_true, y_pred, groups: pd.Series) -> tuple[dict, dict]:
    """Overall disparity figures and per-group rates for one sensitive feature."""
    frame = MetricFrame(
        metrics={
            "accuracy": accuracy_score,
            "selection_rate": selection_rate,
            "true_positive_rate": true_positive_rate,
            "false_positive_rate": false_positive_rate,
        },
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=groups,
    )
    by_group = {
        metric: {str(group): float(value) for group, value in frame.by_group[metric].items()}
        for metric in frame.by_group.columns
    }
    functions = {
        "demographic_parity_difference": demographic_parity_difference,
        "demographic_parity_ratio": demographic_parity_ratio,
        "equalized_odds_difference": equalized_odds_difference,
        "equalized_odds_ratio": equalized_odds_ratio,
        "equal_opportunity_difference": equal_opportunity_difference,
    }
    overall = {
        name: float(function(y_true, y_pred, sensitive_features=groups))
        for name, function in functions.items()
    }
    return overall, by_group


def log_variant(experiment_id, train_ds, eval_ds, train_df, eval_df, variant, commit, mitigate):
    params = {
        "model_type": "LogisticRegression",
        "C": "1.0",
        "max_iter": "200",
        "features": ",".join(FEATURES),
        "postprocessing": "ThresholdOptimizer(demographic_parity, sex)" if mitigate else "none",
    }
    tags = {
        "mlflow.source.git.commit": commit,
        "mlflow.source.git.repoURL": REPO,
        "mlflow.source.git.branch": "main",
        "fairness.sensitive_features": ",".join(SENSITIVE),
        "fairness.tool": "fairlearn",
    }
    tags.update({f"fairness.threshold.{name}": str(limit) for name, limit in THRESHOLDS.items()})
    metrics: dict[str, float] = {}

    with mlflow.start_run(experiment_id=experiment_id, run_name=f"train-{variant}") as run:
        mlflow.set_tags(tags)
        mlflow.log_params(params)
        mlflow.log_input(train_ds, context="training", tags={"split": "train"})
        mlflow.log_input(eval_ds, context="evaluation", tags={"split": "eval"})

        x_train, y_train = train_df[FEATURES], train_df["approved"]
        model = LogisticRegression(C=1.0, max_iter=200).fit(x_train, y_train)
        for step, loss in enumerate([0.7, 0.6375, 0.575, 0.5125, 0.45]):
            mlflow.log_metric("train_loss", loss, step=step)
        metrics["train_loss"] = 0.45

        logged = mlflow.sklearn.log_model(
            model, name="model", registered_model_name=MODEL,
            input_example=eval_df[FEATURES].head(3),
        )
        model_id = logged.model_id

        x_eval, y_eval = eval_df[FEATURES], eval_df["approved"]
        scores = model.predict_proba(x_eval)[:, 1]
        if mitigate:
            optimiser = ThresholdOptimizer(
                estimator=model, constraints="demographic_parity", prefit=True,
                predict_method="predict_proba",
            )
            optimiser.fit(x_train, y_train, sensitive_features=train_df["sex"])
            predicted = np.asarray(
                optimiser.predict(x_eval, sensitive_features=eval_df["sex"], random_state=0))
        else:
            predicted = model.predict(x_eval)

        evaluation = {
            "eval_accuracy": float(accuracy_score(y_eval, predicted)),
            "eval_f1": float(f1_score(y_eval, predicted)),
            "eval_roc_auc": float(roc_auc_score(y_eval, scores)),
        }
        mlflow.log_metrics(evaluation, model_id=model_id, dataset=eval_ds)
        metrics.update(evaluation)

        report = {
            "schema": "fairness-report/v1",
            "run_id": run.info.run_id,
            "model_id": model_id,
            "dataset": {"name": eval_ds.name, "digest": eval_ds.digest},
            "label": "approved",
            "positive_label": 1,
            "tool": "fairlearn",
            "thresholds": THRESHOLDS,
            "sensitive_features": {},
        }
        verdicts: dict[str, bool] = {}
        for feature in SENSITIVE:
            overall, by_group = fairness(y_eval, predicted, eval_df[feature])
            named = {f"fairness.{feature}.{name}": value for name, value in overall.items()}
            mlflow.log_metrics(named, model_id=model_id, dataset=eval_ds)
            per_group = {
                metric_key(f"fairness.{feature}.{metric}.{group}"): value
                for metric, groups in by_group.items()
                for group, value in groups.items()
            }
            mlflow.log_metrics(per_group)
            metrics.update(named)
            metrics.update(per_group)
            section = {}
            for name, value in overall.items():
                passed = verdict(name, value)
                section[name] = {"value": value, "threshold": THRESHOLDS.get(name),
                                 "passed": passed}
                if passed is not None:
                    verdicts[f"{feature}.{name}"] = passed
            report["sensitive_features"][feature] = {
                "groups": sorted(next(iter(by_group.values())).keys()),
                "overall": section,
                "by_group": by_group,
            }
        passed = all(verdicts.values())
        report["passed"] = passed
        mlflow.set_tag("fairness.passed", "true" if passed else "false")
        mlflow.log_dict(report, "fairness/fairness_report.json")

    tags["fairness.passed"] = "true" if passed else "false"
    return {
        "variant": variant,
        "run_id": run.info.run_id,
        "name": f"train-{variant}",
        "git_commit": commit,
        "git_repo": REPO,
        "model_id": model_id,
        "params": params,
        "tags": tags,
        "metrics": metrics,
        "thresholds": THRESHOLDS,
        "verdicts": verdicts,
        "fairness_passed": passed,
        "report_path": "fairness/fairness_report.json",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Seed an empty MLflow server for Assay's tests.")
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--summary", required=True, help="where to write the summary JSON")
    args = parser.parse_args()
    began = time.time()
    mlflow.set_tracking_uri(args.tracking_uri)
    client = MlflowClient()

    if client.get_experiment_by_name(EXPERIMENT) is not None:
        print(f"experiment {EXPERIMENT!r} already exists; seed an empty server", file=sys.stderr)
        return 2
    experiment_id = client.create_experiment(
        EXPERIMENT, tags={"team": "risk-ml", "governance.scope": "eu-ai-act-high-risk"})

    train_df = synthetic_applicants(4000, seed=1)
    eval_df = synthetic_applicants(1500, seed=2)
    train_ds = mlflow.data.from_pandas(
        train_df, name="credit-train", targets="approved",
        source="s3://example-bucket/credit/train-2026-10.parquet")
    eval_ds = mlflow.data.from_pandas(
        eval_df, name="credit-eval", targets="approved",
        source="s3://example-bucket/credit/eval-2026-10.parquet")

    runs = [log_variant(experiment_id, train_ds, eval_ds, train_df, eval_df, *variant)
            for variant in VARIANTS]
    if [run["fairness_passed"] for run in runs] != [False, True]:
        print("scenario broken: expected the baseline to fail and the mitigated run to pass: "
              f"{[run['verdicts'] for run in runs]}", file=sys.stderr)
        return 1

    client.update_registered_model(MODEL, description="Credit approval classifier")
    client.set_registered_model_tag(MODEL, "risk_tier", "high")
    by_run = {run["run_id"]: run for run in runs}
    versions = sorted(client.search_model_versions(f"name='{MODEL}'"), key=lambda v: int(v.version))
    if [v.run_id for v in versions] != [run["run_id"] for run in runs]:
        print("scenario broken: expected one model version per run", file=sys.stderr)
        return 1
    model_versions = []
    for version, alias in zip(versions, ["baseline", "champion"]):
        run = by_run[version.run_id]
        version_tags = {
            "variant": run["variant"],
            "fairness_review": "passed" if run["fairness_passed"] else "failed",
        }
        for key, value in version_tags.items():
            client.set_model_version_tag(MODEL, version.version, key, value)
        client.set_registered_model_alias(MODEL, alias, version.version)
        model_versions.append({
            "version": version.version,
            "run_id": version.run_id,
            "model_id": run["model_id"],
            "source": version.source,
            "aliases": [alias],
            "tags": version_tags,
        })

    def dataset_entry(ds, context):
        return {"name": ds.name, "digest": ds.digest, "source": ds.source.uri,
                "source_type": ds.source._get_source_type(), "context": context}

    summary = {
        "tracking_uri": args.tracking_uri,
        "experiment": {"id": experiment_id, "name": EXPERIMENT},
        "datasets": [dataset_entry(train_ds, "training"), dataset_entry(eval_ds, "evaluation")],
        "runs": runs,
        "registered_model": MODEL,
        "model_versions": model_versions,
        "versions": {"mlflow": mlflow.__version__, "fairlearn": fairlearn.__version__,
                     "scikit-learn": sklearn.__version__, "numpy": np.__version__,
                     "pandas": pd.__version__},
        "seconds": round(time.time() - began, 2),
    }
    with open(args.summary, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2, sort_keys=True)
    print(json.dumps({"runs": [run["run_id"] for run in runs], "seconds": summary["seconds"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
