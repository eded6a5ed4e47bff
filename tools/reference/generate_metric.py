#!/usr/bin/env python3
"""Generate PyTorch reference data for LossKit's metric-learning losses (triplet, contrastive).

Writes loss-core/src/test/resources/reference/metric.json (path resolved relative to this script).
Run with an interpreter that has torch, e.g. on Debian 12:
    /usr/bin/python3 tools/reference/generate_metric.py

Everything is float64; every case re-seeds torch, so the output is deterministic.

Schema: as classification.json. "logits" are the embeddings [N, D]; "labels" are the labels exactly as the
DL4J loss takes them ([N, 1] similarities or class ids, or one-hot [N, K]); "per_example" are LossKit's
per-row values, whose sum is the batch total; "gradient" is d(total)/d(embeddings) by autograd.

The batch total follows LossKit's convention: total = rows x mean, so that DL4J's score (total / rows) is the
natural mean of the loss:
  * triplet, mining "consecutive": rows 3i, 3i+1, 3i+2 are (a, p, n); mean over triplets (torch's
    reduction='mean'); each triplet's loss is written on its three rows.
  * triplet "batch_hard": mean over anchors that have a positive and a negative; row a holds
    rows / anchors x loss(a) (0 for an anchor without a positive or negative).
  * triplet "batch_all": mean over triplets with positive loss (hinge) or over all valid triplets (soft
    margin); row a holds rows / count x the sum of the losses of the triplets it anchors.
  * triplet "semi_hard": per anchor-positive pair, the nearest negative with d(a,p) < d(a,n) < d(a,p) + margin,
    else the nearest negative; mean over anchor-positive pairs whose anchor has a negative; row a holds
    rows / pairs x the sum over its pairs.
  * contrastive "consecutive": rows 2i, 2i+1 form a pair with similarity labels[2i]; mean over pairs; each
    pair's loss is written on both rows.
  * contrastive "all_in_batch": every pair i < j, mean over pairs; row i holds rows / pairs x half the losses of
    the pairs it belongs to.

Distances: "euclidean" |a - b|, "squared_euclidean" |a - b|^2, "cosine" 1 - cos(a, b). torch's
pairwise_distance adds eps = 1e-6 to the difference; the consecutive Euclidean cases call
torch.nn.TripletMarginLoss with eps=0 (so it is the exact norm LossKit computes) and are cross-checked against
the script's own distance. Mined cases compute the distance matrix from differences in torch (not from the
matrix-product expansion LossKit uses) and select triplets with plain Python loops: an independent
implementation. Every case is generated away from ties and kinks (see KINK): hinge arguments, margins,
semi-hard band edges, the runner-up of every max/min selection, and swap comparisons are all at least KINK away,
so the gradient is unambiguous; seeds are advanced deterministically until a case qualifies.
"""

import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from reference_common import DT, assert_close, to_json_text

GENERATOR = "tools/reference/generate_metric.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = REPO_ROOT / "loss-core" / "src" / "test" / "resources" / "reference" / "metric.json"
KINK = 1e-3


class NearKink(Exception):
    """The sampled case has a tie or sits within KINK of a kink: try the next seed."""


GUARDS = {"on": True}


def away(value, what):
    if GUARDS["on"] and abs(float(value)) <= KINK:
        raise NearKink(f"{what} = {float(value):.2e}")


def runner_up_gap(values, what):
    """The best (first after sorting) of several candidates must win by more than KINK."""
    if len(values) >= 2:
        s = sorted(float(v) for v in values)
        away(s[1] - s[0], what)


# --------------------------------------------------------------------------
# distances (from differences; no eps)
# --------------------------------------------------------------------------

def row_distance(a, b, kind):
    if kind == "euclidean":
        return (a - b).pow(2).sum(1).sqrt()
    if kind == "squared_euclidean":
        return (a - b).pow(2).sum(1)
    if kind == "cosine":
        return 1 - (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
    raise ValueError(kind)


def distance_matrix(x, kind):
    n = x.shape[0]
    eye = torch.eye(n, dtype=torch.bool)
    if kind == "cosine":
        u = x / x.norm(dim=1, keepdim=True)
        return torch.where(eye, torch.zeros(()), 1 - u @ u.T)
    squared = (x[:, None, :] - x[None, :, :]).pow(2).sum(-1)
    if kind == "squared_euclidean":
        return squared
    # sqrt only off the diagonal: its derivative at 0 is infinite (and the diagonal is never used)
    return torch.where(eye, torch.zeros(()), torch.where(eye, torch.ones(()), squared).sqrt())


def penalty_value(z, penalty, margin):
    if penalty == "hinge":
        away(z + margin, "hinge argument")
        return torch.clamp(z + margin, min=0)
    return torch.clamp(z, min=0) + torch.log1p(torch.exp(-z.abs()))  # softplus, no overflow


def class_ids(labels):
    """Class ids from [N, 1] ids or one-hot [N, K] labels."""
    return [int(v) for v in (labels[:, 0] if labels.shape[1] == 1 else labels.argmax(1)).tolist()]


# --------------------------------------------------------------------------
# losses: return (per_row [N], total) as functions of the embeddings x
# --------------------------------------------------------------------------

def triplet_consecutive(x, labels, p):
    a, pos, neg = x[0::3], x[1::3], x[2::3]
    m, kind = p["margin"], p["distance"]
    d_ap = row_distance(a, pos, kind)
    d_an = row_distance(a, neg, kind)
    if p["swap"]:
        d_pn = row_distance(pos, neg, kind)
        for u, v in zip(d_an.tolist(), d_pn.tolist()):
            away(u - v, "swap comparison")
        d_an = torch.minimum(d_an, d_pn)
    losses = torch.stack([penalty_value(z, p["penalty"], m) for z in d_ap - d_an])
    if p["penalty"] == "hinge":
        # PyTorch's own implementation, for the Euclidean distance exactly (eps=0) and otherwise with the
        # distance function given to TripletMarginWithDistanceLoss
        if kind == "euclidean":
            torch_loss = torch.nn.TripletMarginLoss(margin=m, p=2, eps=0.0, swap=p["swap"], reduction="none")
        else:
            torch_loss = torch.nn.TripletMarginWithDistanceLoss(
                distance_function=lambda u, v: row_distance(u, v, kind), margin=m, swap=p["swap"],
                reduction="none")
        assert_close(torch_loss(a, pos, neg), losses, "torch triplet loss")
        if kind == "euclidean":
            torch_mean = torch.nn.TripletMarginLoss(margin=m, p=2, eps=0.0, swap=p["swap"])(a, pos, neg)
            assert_close(torch_mean * x.shape[0], losses.repeat_interleave(3).sum(), "total = rows x torch mean")
    per_row = losses.repeat_interleave(3)
    return per_row, per_row.sum()


def in_batch_triplets(x, labels, p):
    """batch_hard, batch_all, semi_hard with Python loops over anchors, positives and negatives."""
    n = x.shape[0]
    ids = class_ids(labels)
    d = distance_matrix(x, p["distance"])
    m, swap, mining = p["margin"], p["swap"], p["mining"]
    per_anchor = [torch.zeros(()) for _ in range(n)]
    units = 0
    active = 0

    def negative_distance(a, pos, neg):
        if not swap:
            return d[a, neg]
        away(d[a, neg] - d[pos, neg], "swap comparison")
        return torch.minimum(d[a, neg], d[pos, neg])

    for a in range(n):
        positives = [j for j in range(n) if j != a and ids[j] == ids[a]]
        negatives = [j for j in range(n) if ids[j] != ids[a]]
        if not positives or not negatives:
            continue
        if mining == "batch_hard":
            runner_up_gap([-d[a, j] for j in positives], "hardest positive")
            runner_up_gap([d[a, j] for j in negatives], "hardest negative")
            pos = max(positives, key=lambda j: float(d[a, j]))
            neg = min(negatives, key=lambda j: float(d[a, j]))
            loss = penalty_value(d[a, pos] - negative_distance(a, pos, neg), p["penalty"], m)
            per_anchor[a] = per_anchor[a] + loss
            units += 1
            active += int(loss > 0)
        elif mining == "batch_all":
            for pos in positives:
                for neg in negatives:
                    loss = penalty_value(d[a, pos] - negative_distance(a, pos, neg), p["penalty"], m)
                    per_anchor[a] = per_anchor[a] + loss
                    units += 1
                    active += int(loss > 0)
        elif mining == "semi_hard":
            runner_up_gap([d[a, j] for j in negatives], "nearest negative")
            for pos in positives:
                for j in negatives:
                    away(d[a, j] - d[a, pos], "semi-hard lower band edge")
                    away(d[a, j] - d[a, pos] - m, "semi-hard upper band edge")
                band = [j for j in negatives if d[a, pos] < d[a, j] < d[a, pos] + m]
                runner_up_gap([d[a, j] for j in band], "nearest negative in the band")
                neg = min(band or negatives, key=lambda j: float(d[a, j]))
                p["_branches"].add("band" if band else "fallback")
                loss = penalty_value(d[a, pos] - negative_distance(a, pos, neg), p["penalty"], m)
                per_anchor[a] = per_anchor[a] + loss
                units += 1
                active += int(loss > 0)
        else:
            raise ValueError(mining)
    count = active if (mining == "batch_all" and p["penalty"] == "hinge") else units
    scale = n / count if count else 0.0
    per_row = torch.stack(per_anchor) * scale
    return per_row, per_row.sum()


def contrastive_terms(d, similar, p):
    away(d - p["margin"], "negative margin")
    if p["positive_margin"] > 0:
        away(d - p["positive_margin"], "positive margin")
    pull = torch.clamp(d - p["positive_margin"], min=0)
    push = torch.clamp(p["margin"] - d, min=0)
    return similar * pull ** 2 + (1 - similar) * push ** 2


def contrastive_consecutive(x, labels, p):
    y = labels[0::2, 0]
    assert bool((labels[0::2, 0] == labels[1::2, 0]).all())
    d = row_distance(x[0::2], x[1::2], p["distance"])
    losses = torch.stack([contrastive_terms(d[k], y[k], p) for k in range(d.shape[0])])
    per_row = losses.repeat_interleave(2)
    return per_row, per_row.sum()


def contrastive_all_in_batch(x, labels, p):
    n = x.shape[0]
    ids = class_ids(labels)
    d = distance_matrix(x, p["distance"])
    pairs = n * (n - 1) // 2
    per_row = [torch.zeros(()) for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            loss = contrastive_terms(d[i, j], 1.0 if ids[i] == ids[j] else 0.0, p)
            # half of the pair to each of its rows
            per_row[i] = per_row[i] + loss / 2 * n / pairs
            per_row[j] = per_row[j] + loss / 2 * n / pairs
    per_row = torch.stack(per_row)
    return per_row, per_row.sum()


def evaluate(loss, x, labels, params):
    leaf = x.detach().clone().requires_grad_(True)
    per_row, total = loss_function(loss, params)(leaf, labels, params)
    assert_close(per_row.sum(), total, "per-row values sum to the total")
    (grad,) = torch.autograd.grad(total, leaf)
    return per_row.detach(), total.detach(), grad.detach()


def finite_difference_check(loss, x, labels, params, grad):
    """Central differences of the total, to catch a reference that is itself wrong. The case is KINK >> h away
    from every kink, so the probes need no guards (and may come closer than KINK to one)."""
    h = 1e-6
    numeric = torch.zeros_like(x)
    GUARDS["on"] = False
    try:
        for idx in range(x.numel()):
            up, down = x.clone(), x.clone()
            up.view(-1)[idx] += h
            down.view(-1)[idx] -= h
            with torch.no_grad():
                numeric.view(-1)[idx] = (total_of(loss, up, labels, params) - total_of(loss, down, labels, params)) / (
                    2 * h)
    finally:
        GUARDS["on"] = True
    assert_close(numeric, grad, "finite differences", rtol=1e-5, atol=1e-7)


def loss_function(loss, params):
    if loss == "contrastive":
        return contrastive_consecutive if params["pairs"] == "consecutive" else contrastive_all_in_batch
    return triplet_consecutive if params["mining"] == "consecutive" else in_batch_triplets


def total_of(loss, x, labels, params):
    p = dict(params)
    p["_branches"] = set()
    return float(loss_function(loss, p)(x, labels, p)[1])


# --------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------

def class_id_column(n, classes, generator_seed):
    """Class ids [n, 1] with every class at least twice (shuffled)."""
    g = torch.Generator().manual_seed(generator_seed)
    base = [k % classes for k in range(n)]
    order = torch.randperm(n, generator=g).tolist()
    return torch.tensor([[float(base[i])] for i in order], dtype=DT)


def build_cases():
    cases = []

    def add(name, loss, params, make, needs_branches=None):
        """make(seed) -> (embeddings, labels); seeds advance until the case is away from kinks."""
        seed = sum(ord(ch) for ch in name) * 1000
        for attempt in range(1000):
            torch.manual_seed(seed + attempt)
            x, labels = make(seed + attempt)
            p = dict(params)
            p["_branches"] = set()
            try:
                per_row, total, grad = evaluate(loss, x, labels, p)
            except NearKink:
                continue
            if needs_branches and not needs_branches <= p["_branches"]:
                continue
            break
        else:
            raise AssertionError(f"{name}: no seed away from kinks")
        assert per_row.shape == (x.shape[0],) and grad.shape == x.shape, name
        for what, t in (("embeddings", x), ("labels", labels), ("per_example", per_row), ("gradient", grad)):
            assert bool(torch.isfinite(t).all()), f"{name}: {what} has NaN/Inf"
        assert float(total) > 0, f"{name}: a reference case should have a positive loss"
        finite_difference_check(loss, x, labels, params, grad)
        cases.append({
            "name": name,
            "loss": loss,
            "params": {k: v for k, v in params.items() if not k.startswith("_")},
            "logits": x.tolist(),
            "labels": labels.tolist(),
            "per_example": per_row.tolist(),
            "gradient": grad.tolist(),
        })

    def triplet(margin=1.0, penalty="hinge", swap=False, mining="consecutive", distance="euclidean"):
        return {"margin": margin, "penalty": penalty, "swap": swap, "mining": mining, "distance": distance}

    def contrastive(margin=1.0, positive_margin=0.0, pairs="consecutive", distance="euclidean"):
        return {"margin": margin, "positive_margin": positive_margin, "pairs": pairs, "distance": distance}

    def consecutive_triplets(triplets, dims, scale=1.0):
        def make(seed):
            return torch.randn(3 * triplets, dims) * scale, torch.zeros(3 * triplets, 1)
        return make

    def clustered(n, classes, dims, spread=0.8, one_hot=False, singleton=False):
        """Class centres plus noise, so that hinge and mining cases have a mix of active and inactive terms."""
        def make(seed):
            ids = class_id_column(n, classes, seed)
            if singleton:
                ids[0, 0] = float(classes)  # a class with one example: its anchor has no positive
            centres = torch.randn(classes + 1, dims)
            x = centres[ids[:, 0].long()] + spread * torch.randn(n, dims)
            if one_hot:
                ids = F.one_hot(ids[:, 0].long(), classes + (1 if singleton else 0)).to(DT)
            return x, ids
        return make

    # ---- triplet, consecutive: torch.nn.TripletMarginLoss / TripletMarginWithDistanceLoss ----
    add("triplet-consecutive-euclidean", "triplet", triplet(), consecutive_triplets(5, 4))
    add("triplet-consecutive-euclidean-swap", "triplet", triplet(swap=True), consecutive_triplets(6, 4))
    add("triplet-consecutive-euclidean-margin0.3", "triplet", triplet(margin=0.3), consecutive_triplets(5, 3))
    add("triplet-consecutive-squared-euclidean", "triplet", triplet(distance="squared_euclidean", margin=2.0),
        consecutive_triplets(5, 4, 0.6))
    add("triplet-consecutive-cosine-swap", "triplet", triplet(distance="cosine", margin=0.5, swap=True),
        consecutive_triplets(6, 4))
    add("triplet-consecutive-soft-margin", "triplet", triplet(penalty="soft_margin"), consecutive_triplets(5, 4))
    add("triplet-consecutive-soft-margin-swap", "triplet", triplet(penalty="soft_margin", swap=True),
        consecutive_triplets(5, 4))

    # ---- triplet, batch hard ----
    add("triplet-batch-hard-euclidean", "triplet", triplet(mining="batch_hard"), clustered(10, 3, 4))
    add("triplet-batch-hard-euclidean-singleton-class", "triplet", triplet(mining="batch_hard"),
        clustered(9, 3, 4, singleton=True))
    add("triplet-batch-hard-one-hot", "triplet", triplet(mining="batch_hard", margin=0.5),
        clustered(8, 3, 3, one_hot=True))
    add("triplet-batch-hard-swap", "triplet", triplet(mining="batch_hard", swap=True), clustered(10, 3, 4))
    add("triplet-batch-hard-soft-margin", "triplet", triplet(mining="batch_hard", penalty="soft_margin"),
        clustered(10, 3, 4))
    add("triplet-batch-hard-squared-euclidean", "triplet",
        triplet(mining="batch_hard", distance="squared_euclidean", margin=2.0), clustered(9, 3, 4, spread=0.6))
    add("triplet-batch-hard-cosine", "triplet", triplet(mining="batch_hard", distance="cosine", margin=0.4),
        clustered(9, 3, 4))

    # ---- triplet, batch all ----
    add("triplet-batch-all-euclidean", "triplet", triplet(mining="batch_all"), clustered(9, 3, 4))
    add("triplet-batch-all-singleton-class-one-hot", "triplet", triplet(mining="batch_all", margin=0.7),
        clustered(9, 3, 3, one_hot=True, singleton=True))
    add("triplet-batch-all-swap", "triplet", triplet(mining="batch_all", swap=True), clustered(8, 2, 4))
    add("triplet-batch-all-soft-margin", "triplet", triplet(mining="batch_all", penalty="soft_margin"),
        clustered(9, 3, 4))
    add("triplet-batch-all-cosine", "triplet", triplet(mining="batch_all", distance="cosine", margin=0.3),
        clustered(8, 3, 4))

    # ---- triplet, semi-hard (both the band and the fallback branch occur in every case) ----
    both = {"band", "fallback"}
    add("triplet-semi-hard-euclidean", "triplet", triplet(mining="semi_hard"), clustered(9, 3, 4),
        needs_branches=both)
    add("triplet-semi-hard-swap", "triplet", triplet(mining="semi_hard", swap=True), clustered(8, 2, 4),
        needs_branches=both)
    add("triplet-semi-hard-soft-margin", "triplet", triplet(mining="semi_hard", penalty="soft_margin", margin=0.8),
        clustered(9, 3, 4), needs_branches=both)
    add("triplet-semi-hard-squared-euclidean-singleton-class", "triplet",
        triplet(mining="semi_hard", distance="squared_euclidean", margin=1.5),
        clustered(9, 3, 3, spread=0.6, singleton=True), needs_branches=both)

    # ---- contrastive ----
    def consecutive_pairs(pairs, dims, scale):
        def make(seed):
            g = torch.Generator().manual_seed(seed)
            x = torch.randn(2 * pairs, dims) * scale
            similar = torch.randint(0, 2, (pairs,), generator=g).to(DT)
            similar[0], similar[1] = 1.0, 0.0
            return x, similar.repeat_interleave(2)[:, None]
        return make

    add("contrastive-consecutive-euclidean", "contrastive", contrastive(), consecutive_pairs(6, 4, 0.3))
    add("contrastive-consecutive-positive-margin", "contrastive", contrastive(margin=1.2, positive_margin=0.5),
        consecutive_pairs(6, 4, 0.35))
    add("contrastive-consecutive-squared-euclidean", "contrastive",
        contrastive(distance="squared_euclidean", margin=1.0), consecutive_pairs(6, 3, 0.3))
    add("contrastive-consecutive-cosine", "contrastive", contrastive(distance="cosine", margin=0.8),
        consecutive_pairs(6, 4, 1.0))
    add("contrastive-all-in-batch-euclidean", "contrastive", contrastive(pairs="all_in_batch", margin=2.0),
        clustered(8, 3, 4, spread=0.5))
    add("contrastive-all-in-batch-one-hot-positive-margin", "contrastive",
        contrastive(pairs="all_in_batch", margin=2.0, positive_margin=0.4),
        clustered(8, 3, 4, spread=0.5, one_hot=True))
    add("contrastive-all-in-batch-cosine-singleton-class", "contrastive",
        contrastive(pairs="all_in_batch", distance="cosine", margin=0.9), clustered(7, 2, 4, singleton=True))
    return cases


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

def check_doc(doc):
    names = [c["name"] for c in doc["cases"]]
    assert len(names) == len(set(names)), "duplicate case names"
    expected_params = {
        "triplet": {"margin", "penalty", "swap", "mining", "distance"},
        "contrastive": {"margin", "positive_margin", "pairs", "distance"},
    }
    for c in doc["cases"]:
        assert set(c) == {"name", "loss", "params", "logits", "labels", "per_example", "gradient"}, c["name"]
        assert set(c["params"]) == expected_params[c["loss"]], c["name"]


def main():
    try:
        import torchvision
        torchvision_version = torchvision.__version__
    except ImportError:
        torchvision_version = None
    cases = build_cases()
    doc = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "torchvision_version": torchvision_version,
        "cases": cases,
    }
    check_doc(doc)
    text = to_json_text(doc)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(text, encoding="utf-8")
    counts = {}
    for c in cases:
        key = c["loss"] + " " + (c["params"].get("mining") or c["params"].get("pairs"))
        counts[key] = counts.get(key, 0) + 1
    size = OUT_PATH.stat().st_size
    print(f"wrote {OUT_PATH.relative_to(REPO_ROOT)} (torch {torch.__version__})")
    for key, n in counts.items():
        print(f"  {key:28s} {n:3d} cases")
    print(f"  {'total':28s} {len(cases):3d} cases, {size} bytes ({size / 1024:.1f} KiB)")
    assert size < 300 * 1024, "reference JSON grew beyond ~300 KB"


if __name__ == "__main__":
    sys.exit(main())
