"""The win model's quality (SPEC §14) where it can be compared.

Closed leads are generated from a known model, so every lead's true win
probability is known: six categorical fields (one a number Funnel bins),
values drawn independently, about 10 % of each missing (at random: each
field's effects are centred, so missing is close to neutral), and the outcome drawn
with probability sigmoid(base + the values' effects + one interaction). The
same train split teaches Funnel's win model (through `funnel train`, scored
with `funnel score --win-model`), scikit-learn's LogisticRegression on one-hot
values and its CategoricalNB; the test split reports AUC, log-loss and Brier
score for each, for the true probabilities (the best any model can do), and
each model's mean absolute error against the true probabilities.

scikit-learn belongs to this script only (run.sh installs it when missing).
"""

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.naive_bayes import CategoricalNB
from sklearn.preprocessing import OneHotEncoder

EDGES = [10, 50, 250, 1000]

MODEL = {
    "format": "funnel.model/1",
    "name": "winmodel-quality",
    "attributes": {
        "industry": "string", "role": "string", "source": "string", "region": "string",
        "decision_maker": "bool", "employees": "number",
    },
    "predict": {"bins": {"employees": EDGES}},
}

# Field → (values, drawing weights); employees is drawn as a bin, then a number inside it.
FIELDS = {
    "industry": (["software", "fintech", "healthcare", "manufacturing", "retail", "education", "logistics", "media"],
                 [18, 10, 12, 14, 16, 10, 10, 10]),
    "role": (["ceo", "cto", "vp", "manager", "engineer", "analyst"], [8, 8, 14, 30, 25, 15]),
    "source": (["referral", "webinar", "web", "paid_search", "event"], [10, 15, 40, 25, 10]),
    "region": (["na", "emea", "apac", "latam"], [40, 35, 15, 10]),
    "decision_maker": ([False, True], [70, 30]),
    "employees": ([0, 1, 2, 3, 4], [20, 25, 25, 20, 10]),
}
BIN_RANGES = [(1, 10), (10, 50), (50, 250), (250, 1000), (1000, 20000)]
MISSING = 0.10


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def make_truth(rng):
    """Per field, per value, its effect on the log-odds of a win."""
    effects = {}
    for name, (values, weights) in FIELDS.items():
        drawn = [rng.gauss(0, 0.6) for _ in values]
        # Centred on the values' mix, so that a missing value says little
        # either way (SPEC §14 gives it no value; scikit-learn sees "missing").
        mean = sum(e * w for e, w in zip(drawn, weights)) / sum(weights)
        effects[name] = {v: e - mean for v, e in zip(values, drawn)}
    return {"base": -1.2, "effects": effects, "interaction": 0.8}  # decision maker in software or fintech


def draw_lead(rng, i, truth):
    values = {}
    for name, (choices, weights) in FIELDS.items():
        values[name] = None if rng.random() < MISSING else rng.choices(choices, weights)[0]
    x = truth["base"]
    for name, value in values.items():
        if value is not None:
            x += truth["effects"][name][value]
    if values["decision_maker"] is True and values["industry"] in ("software", "fintech"):
        x += truth["interaction"]
    p = sigmoid(x)
    attributes = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "employees":
            lo, hi = BIN_RANGES[value]
            attributes[name] = rng.randrange(lo, hi)
        else:
            attributes[name] = value
    return {"id": f"L{i}", "attributes": attributes}, values, p


def categorical_rows(rows):
    """Each lead's values as categories for scikit-learn (missing is a category of its own)."""
    return [[str(v) if v is not None else "missing" for v in values.values()] for values in rows]


def scores(y, p):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return roc_auc_score(y, p), log_loss(y, p, labels=[0, 1]), brier_score_loss(y, p)


def run_funnel(funnel, workdir, train_docs, train_y, test_docs):
    model_path = os.path.join(workdir, "model.json")
    with open(model_path, "w") as f:
        json.dump(MODEL, f)
    examples_path = os.path.join(workdir, "examples.jsonl")
    with open(examples_path, "w") as f:
        for doc, y in zip(train_docs, train_y):
            f.write(json.dumps({"lead": doc, "outcome": "won" if y else "lost"}) + "\n")
    leads_path = os.path.join(workdir, "leads.jsonl")
    with open(leads_path, "w") as f:
        for doc in test_docs:
            f.write(json.dumps(doc) + "\n")
    start = time.perf_counter()
    win = subprocess.run([funnel, "train", "--model", model_path, examples_path],
                         check=True, capture_output=True, text=True).stdout
    train_seconds = time.perf_counter() - start
    win_path = os.path.join(workdir, "win.json")
    with open(win_path, "w") as f:
        f.write(win)
    out = subprocess.run([funnel, "score", "--model", model_path, "--win-model", win_path, "--as-of", "0",
                          "--threads", "1", leads_path], check=True, capture_output=True, text=True).stdout
    probabilities = [json.loads(line)["win_probability"] for line in out.splitlines() if line.strip()]
    return np.array(probabilities, dtype=float), train_seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--funnel", required=True, help="the funnel executable")
    parser.add_argument("--train", type=int, default=50_000)
    parser.add_argument("--test", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    truth = make_truth(rng)
    docs, rows, truep = [], [], []
    for i in range(args.train + args.test):
        doc, values, p = draw_lead(rng, i, truth)
        docs.append(doc)
        rows.append(values)
        truep.append(p)
    truep = np.array(truep)
    y = np.array([1 if rng.random() < p else 0 for p in truep])
    n = args.train
    train_y, test_y, test_true = y[:n], y[n:], truep[n:]

    with tempfile.TemporaryDirectory() as workdir:
        funnel_p, funnel_seconds = run_funnel(args.funnel, workdir, docs[:n], train_y, docs[n:])

    cats = categorical_rows(rows)
    train_x, test_x = cats[:n], cats[n:]
    encoder = OneHotEncoder(handle_unknown="ignore")
    start = time.perf_counter()
    logistic = LogisticRegression(C=1.0, max_iter=2000).fit(encoder.fit_transform(train_x), train_y)
    logistic_seconds = time.perf_counter() - start
    logistic_p = logistic.predict_proba(encoder.transform(test_x))[:, 1]
    # CategoricalNB wants category numbers; a category unseen in training gets its own number (min_categories).
    codes = {}
    def encode(table):
        return np.array([[codes.setdefault((j, v), len([k for k in codes if k[0] == j])) for j, v in enumerate(row)]
                         for row in table])
    train_codes = encode(train_x)
    test_codes = encode(test_x)
    counts = [len([k for k in codes if k[0] == j]) for j in range(len(FIELDS))]
    results = []
    for alpha in (1.0, 0.1):
        start = time.perf_counter()
        bayes = CategoricalNB(alpha=alpha, min_categories=counts).fit(train_codes, train_y)
        seconds = time.perf_counter() - start
        results.append((f"scikit-learn CategoricalNB (alpha {alpha})", bayes.predict_proba(test_codes)[:, 1], seconds))

    rows_out = [
        ("true probability (the best possible)", test_true, None),
        ("Funnel win model (funnel train)", funnel_p, funnel_seconds),
        ("scikit-learn LogisticRegression (one-hot, C=1)", logistic_p, logistic_seconds),
    ] + results
    print(f"win model quality: {args.train} training and {args.test} test leads (seed {args.seed}), "
          f"win rate {train_y.mean():.3f}; six categorical fields, {int(MISSING * 100)} % missing each")
    print(f"{'model':50} {'AUC':>7} {'log-loss':>9} {'Brier':>7} {'MAE vs true p':>14} {'fit s':>7}")
    for name, p, seconds in rows_out:
        auc, loss, brier = scores(test_y, p)
        mae = float(np.mean(np.abs(p - test_true)))
        fit = f"{seconds:7.2f}" if seconds is not None else "      -"
        print(f"{name:50} {auc:7.4f} {loss:9.4f} {brier:7.4f} {mae:14.4f} {fit}")
    print("fit s: Funnel's is the whole `funnel train` process (start, JSON parsing, learning, writing);"
          " scikit-learn's is the fit alone.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
