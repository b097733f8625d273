#!/usr/bin/env python3
"""Agreement between two raters' CSV files (`question,level`, level 0-4 or NA).

    scripts/rating-agreement.py A.csv B.csv

Prints the questions rated, exact agreement, agreement within one level, Cohen's kappa
(unweighted, over the categories either rater used) and each rater's mean, then the questions
on which they differ. Used for the rating checks under docs/banks/rating-check/.
"""

import csv
import sys
from collections import Counter


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["question"].strip(): row["level"].strip().upper() for row in csv.DictReader(handle)}


def kappa(pairs):
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in set(left) | set(right)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def mean(values):
    levels = [int(v) for v in values if v.isdigit()]
    return sum(levels) / len(levels) if levels else float("nan")


def main(a_path, b_path):
    a, b = read(a_path), read(b_path)
    missing = sorted(set(a) ^ set(b))
    if missing:
        sys.exit(f"the files rate different questions: {', '.join(missing)}")
    questions = sorted(a)
    pairs = [(a[q], b[q]) for q in questions]
    exact = sum(x == y for x, y in pairs)
    within = sum(x == y or (x.isdigit() and y.isdigit() and abs(int(x) - int(y)) <= 1) for x, y in pairs)
    n = len(pairs)
    print(f"questions {n}")
    print(f"exact {exact}/{n} ({100 * exact / n:.0f}%)")
    print(f"within one level {within}/{n} ({100 * within / n:.0f}%)")
    print(f"kappa {kappa(pairs):.2f}")
    print(f"mean {mean(a.values()):.2f} vs {mean(b.values()):.2f}")
    for q in questions:
        if a[q] != b[q]:
            print(f"  {q}: {a[q]} vs {b[q]}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
