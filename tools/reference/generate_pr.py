#!/usr/bin/env python3
"""Generate scikit-learn reference values for the loss lab's ranking metrics.

Writes benchmarks/src/test/resources/reference/pr.json (path resolved relative
to this script, so it can be run from any directory), which the tests of
`losskit pr` (io.github.losskit.lab.BinaryMetrics) compare against.

Must be run with an interpreter that has scikit-learn, e.g. on Debian 12
(apt-get install -y python3-sklearn):
    /usr/bin/python3 tools/reference/generate_pr.py

Per case: the labels y_true (0/1, or -1/+1 where noted, positive label 1),
the scores y_score, and scikit-learn's
  * precision_recall_curve(y_true, y_score) -> precision, recall, thresholds
    (one point per distinct score, thresholds increasing, then the point
    recall 0 / precision 1 without a threshold);
  * average_precision_score(y_true, y_score) (the un-interpolated step sum);
  * roc_auc_score(y_true, y_score) (trapezoids, so a tied positive/negative
    pair counts one half).
Many cases have ties (scores rounded to one or two decimals, all scores
equal, integer scores), which is where definitions differ between libraries.

Deterministic: each random case has its own numpy seed; floats are written
with repr precision (json), so Java reads back the same doubles.
"""

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

GENERATOR = "tools/reference/generate_pr.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = REPO_ROOT / "benchmarks" / "src" / "test" / "resources" / "reference" / "pr.json"


def case(name, y_true, y_score, note):
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=np.float64)
    precision, recall, thresholds = precision_recall_curve(y_true, y_score, pos_label=1)
    ap = average_precision_score(y_true, y_score, pos_label=1)
    auc = roc_auc_score(y_true, y_score)
    # cross-checks of the definitions the Java code follows
    distinct = np.unique(y_score)
    assert len(thresholds) == len(distinct), name
    assert np.array_equal(thresholds, distinct), name
    assert precision[-1] == 1.0 and recall[-1] == 0.0, name
    step_sum = -np.sum(np.diff(recall) * precision[:-1])
    assert abs(step_sum - ap) < 1e-15, name
    pos = y_score[y_true == 1]
    neg = y_score[y_true != 1]
    pairs = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    assert abs(pairs / (len(pos) * len(neg)) - auc) < 1e-12, name
    for value in list(precision) + list(recall) + list(thresholds) + [ap, auc]:
        assert np.isfinite(value), name
    return {
        "name": name,
        "note": note,
        "y_true": [int(v) for v in y_true],
        "y_score": [float(v) for v in y_score],
        "average_precision": float(ap),
        "roc_auc": float(auc),
        "precision": [float(v) for v in precision],
        "recall": [float(v) for v in recall],
        "thresholds": [float(v) for v in thresholds],
    }


def imbalanced(seed, n, minority_share, decimals, separation):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < minority_share).astype(int)
    y[0] = 1
    y[1] = 0
    scores = rng.normal(size=n) + separation * y
    probabilities = 1.0 / (1.0 + np.exp(-scores))
    if decimals is not None:
        probabilities = np.round(probabilities, decimals)
    return y, probabilities


def main():
    cases = [
        case("sklearn_docs", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8],
             "the example of scikit-learn's precision_recall_curve documentation"),
        case("perfect", [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9], "positives ranked above all negatives"),
        case("reversed", [1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.8, 0.9], "positives ranked below all negatives"),
        case("ties_mixed", [1, 0, 1, 0, 1, 1, 0, 0], [0.5, 0.5, 0.9, 0.9, 0.2, 0.5, 0.1, 0.2],
             "ties between positives and negatives at several scores"),
        case("ties_positive_block", [1, 1, 1, 0, 0, 1, 0], [0.7, 0.7, 0.7, 0.3, 0.3, 0.3, 0.9],
             "a tie block of positives, a mixed tie block, a top negative"),
        case("all_tied", [0, 1, 0, 0, 1, 0], [0.4] * 6, "every score equal: one curve point"),
        case("plus_minus_one_integer_scores", [-1, 1, -1, 1, 1, -1, -1, 1, -1, -1],
             [3, 5, 1, 5, 2, 3, 3, 4, 0, 5],
             "labels -1/+1 (positive 1), integer scores with ties, unsorted"),
        case("negative_scores", [0, 1, 1, 0, 1, 0, 0, 0], [-2.5, -0.1, -1.0, -3.0, 4.0, -0.1, -7.25, -1.0],
             "logit-like scores below zero, ties at -0.1 and -1.0"),
    ]
    y, s = imbalanced(7, 220, 1 / 11, 1, 1.5)
    cases.append(case("imbalanced_rounded_1_decimal", y, s, "1:10 imbalance, probabilities rounded to 0.1: heavy ties"))
    y, s = imbalanced(11, 400, 1 / 11, 2, 1.0)
    cases.append(case("imbalanced_rounded_2_decimals", y, s, "1:10 imbalance, probabilities rounded to 0.01"))
    y, s = imbalanced(13, 1000, 0.3, None, 0.8)
    cases.append(case("continuous_1000", y, s, "1000 distinct scores, no ties"))

    doc = {
        "generator": GENERATOR,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "cases": cases,
    }
    text = json.dumps(doc, indent=1, allow_nan=False)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT_PATH.relative_to(REPO_ROOT)}: {len(cases)} cases, {len(text) // 1024} KB "
          f"(scikit-learn {sklearn.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
