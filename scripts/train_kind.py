#!/usr/bin/env python3
"""Train newsarc's page-kind model and write src/extract/kind/model.json.

Input: the feature lines `newsarc eval --kind-features-out FILE` writes for every WCXB page
(seven labelled kinds) and the trafilatura / readability articles of the development set;
scripts/train_kind_pages.tsv lists those 2,076 pages (set, id, label, URL).

    cargo run --release -- eval --devset ../shared/devset --kind-features-out /tmp/kf.jsonl
    python3 -m venv /tmp/v && /tmp/v/bin/pip install numpy scikit-learn
    /tmp/v/bin/python scripts/train_kind.py /tmp/kf.jsonl

The model is gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, parameters
below; logistic regression scored lower in the same cross-validation). The
article threshold is chosen on 5-fold cross-validated probabilities: the highest threshold whose
article recall stays at or above --recall. The script prints the cross-validated confusion
matrix and article precision/recall (the figures to expect on unseen pages) and records them
in the model's "about" block. Deterministic: fixed folds, no sampling.
"""

import argparse
import json
import sys
from urllib.parse import urlsplit

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold

CLASSES = ["article", "listing", "forum", "product", "documentation", "service"]
LABEL = {"collection": "listing"}


def load(path):
    """Features, labels and sets. The URL features of a page classified under its site's home
    page instead of its own URL (a readability case without a canonical link) are unknown
    (NaN): "a home page that is an article" would teach the model that fronts are articles.
    (The readability cases under the neutral http://fakehost/test/page.html keep theirs.)"""
    names, X, y, sets = None, [], [], []
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if "feature_names" in row:
                names = row["feature_names"]
                continue
            x = row["features"]
            if not row.get("own_url", True) and urlsplit(row["url"]).path in ("", "/"):
                x = [float("nan") if n.startswith("url_") else v for n, v in zip(names, x)]
            X.append(x)
            y.append(CLASSES.index(LABEL.get(row["label"], row["label"])))
            sets.append(row["set"])
    if names is None:
        sys.exit(f"{path}: no feature_names line (write it with newsarc eval --kind-features-out)")
    return names, np.array(X, dtype=np.float64), np.array(y), np.array(sets)


PARAMS = dict(max_iter=60, learning_rate=0.2, max_leaf_nodes=12, l2_regularization=1.0,
              class_weight="balanced", early_stopping=False, random_state=0)


def fit(X, y):
    return HistGradientBoostingClassifier(**PARAMS).fit(X, y)


def cv_probabilities(X, y, folds=5):
    p = np.zeros((len(y), len(CLASSES)))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=7).split(X, y):
        m = fit(X[train], y[train])
        p[np.ix_(test, m.classes_)] = m.predict_proba(X[test])
    return p


def f32_at_most(t):
    """The largest float32 at most t: the features are float32, so x <= t exactly when
    x <= f32_at_most(t). Written so, a threshold reads back exactly (thresholds can equal a
    feature value, and a JSON float read one unit off would flip the split)."""
    f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf))
    return float(f)


def export_trees(m):
    """Every tree as flat arrays: feature, threshold (float32, see f32_at_most), left, right
    (0: leaf), value."""
    trees = []
    for per_iter in m._predictors:
        for k, pred in enumerate(per_iter):
            n = pred.nodes
            trees.append({
                "class": int(k),
                "feature": [int(v) for v in n["feature_idx"]],
                "threshold": [f32_at_most(float(v)) for v in n["num_threshold"]],
                "left": [0 if leaf else int(v) for v, leaf in zip(n["left"], n["is_leaf"])],
                "right": [0 if leaf else int(v) for v, leaf in zip(n["right"], n["is_leaf"])],
                "value": [round(float(v), 6) for v in n["value"]],
            })
    return trees


def threshold_for(p_article, is_article, recall):
    best = 0.0
    for t in np.unique(np.round(p_article, 4)):
        if (p_article[is_article] >= t).mean() >= recall:
            best = max(best, t)
    return float(best)


def report(p, y, t):
    pred = np.where(p[:, 0] >= t, 0, 1 + np.argmax(p[:, 1:], axis=1))
    art = y == 0
    said = pred == 0
    tp = int((art & said).sum())
    precision = tp / max(said.sum(), 1)
    recall = tp / max(art.sum(), 1)
    matrix = [[int(((y == g) & (pred == k)).sum()) for k in range(len(CLASSES))] for g in range(len(CLASSES))]
    return precision, recall, float((pred == y).mean()), matrix


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("features")
    ap.add_argument("--out", default="src/extract/kind/model.json")
    ap.add_argument("--recall", type=float, default=0.98)
    args = ap.parse_args()
    names, X, y, sets = load(args.features)
    p = cv_probabilities(X, y)
    t = threshold_for(p[:, 0], y == 0, args.recall)
    precision, recall, acc, matrix = report(p, y, t)
    print(f"{len(y)} pages; 5-fold CV at threshold {t:.4f}: article precision {precision:.3f} "
          f"recall {recall:.3f}, kind accuracy {acc:.3f}")
    # The same cross-validated probabilities at other operating points, and on WCXB alone.
    others = {}
    for name, rows in (("all", np.ones(len(y), bool)), ("wcxb", sets == "wcxb")):
        for r in (0.97, 0.98):
            tr = threshold_for(p[rows, 0], y[rows] == 0, r)
            pr, rr, ar, _ = report(p[rows], y[rows], tr)
            others[f"{name}_recall_{r}"] = {"threshold": tr, "article_precision": round(pr, 4),
                                            "article_recall": round(rr, 4), "kind_accuracy": round(ar, 4)}
            print(f"  {name:<5} for recall {r}: threshold {tr:.4f}, precision {pr:.3f} "
                  f"recall {rr:.3f}, kind accuracy {ar:.3f}")
    print("gold \\ got     " + " ".join(f"{c[:7]:>7}" for c in CLASSES))
    for c, row in zip(CLASSES, matrix):
        print(f"{c:<14} " + " ".join(f"{n:>7}" for n in row))
    m = fit(X, y)
    if list(m.classes_) != list(range(len(CLASSES))):
        sys.exit("every class needs training pages")
    # A few pages with the probabilities scikit-learn gives them: the Rust side must agree.
    known = ~np.isnan(X).any(axis=1)
    picks = [int(np.flatnonzero((y == k) & known)[0]) for k in range(len(CLASSES))]
    checks = [{"features": [float(v) for v in X[i]],
               "probabilities": [round(float(v), 6) for v in m.predict_proba(X[i:i + 1])[0]]}
              for i in picks]
    model = {
        "classes": CLASSES,
        "features": names,
        "baseline": [float(v) for v in np.ravel(m._baseline_prediction)],
        "trees": export_trees(m),
        "article_threshold": round(t, 4),
        "checks": checks,
        "about": {
            "model": "gradient-boosted trees (HistGradientBoostingClassifier), " + json.dumps(PARAMS),
            "trained_on": {s: int((sets == s).sum()) for s in sorted(set(sets))},
            "threshold": f"highest with 5-fold CV article recall >= {args.recall}",
            "cv": {"article_precision": round(precision, 4), "article_recall": round(recall, 4),
                   "kind_accuracy": round(acc, 4), "classes": CLASSES, "confusion": matrix,
                   "operating_points": others},
            "retrain": "scripts/train_kind.py (see its docstring)",
        },
    }
    with open(args.out, "w") as f:
        json.dump(model, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
