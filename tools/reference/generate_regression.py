#!/usr/bin/env python3
"""Generate PyTorch reference data for LossKit's regression, margin and KL losses.

Writes loss-core/src/test/resources/reference/regression.json (path is
resolved relative to this script, so it can be run from any directory).

Must be run with an interpreter that has torch (and torchvision, whose
version is written into the JSON for uniformity with classification.json),
e.g. on Debian 12:  /usr/bin/python3 tools/reference/generate_regression.py

Everything is computed in float64. Every case re-seeds torch with its own
fixed seed, so the output is deterministic and adding/removing a case does
not change the data of the other cases.

Conventions (see also tools/reference/README.md):
  * "logits" is the loss input (predictions / scores), "labels" the targets,
    both dense [N, K].
  * "per_example" is each example's loss summed over its K outputs, with the
    per-output "weights" (broadcast over rows) applied; "gradient" is
    d(sum(per_example))/d(logits) from torch autograd.
  * Residual d = logits - labels (prediction minus target).
  * huber:      F.huber_loss(pred, target, delta, reduction='none') * weights.
  * smooth_l1:  F.smooth_l1_loss(pred, target, beta, reduction='none') * weights.
  * log_cosh:   |d| + log1p(exp(-2|d|)) - log 2 (overflow-free), * weights.
  * margin:     z = y' * f, y' = labels ("plus_minus_one") or 2*labels - 1
                ("zero_one"); hinge clamp(1-z, 0), squared_hinge its square,
                exponential exp(-z), logistic F.soft_margin_loss(f, y').
  * kl_divergence: F.kl_div(log_softmax(logits), labels, log_target) summed
                per row; for log_target=true a zero probability is written as
                the finite log -1e4 (exp(-1e4) == 0.0 exactly in float64).
"""

import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from reference_common import DT, assert_close, assert_finite, softplus_stable, with_grad, positive_weights, to_json_text

GENERATOR = "tools/reference/generate_regression.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = REPO_ROOT / "loss-core" / "src" / "test" / "resources" / "reference" / "regression.json"

LOG_ZERO = -1e4          # stands for log(0) in log_target KL labels
KINK_GAP = 1e-3          # hinge-type cases keep |1 - z| > KINK_GAP
LOG2 = math.log(2.0)


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------

def check_gradcheck(fn, logits, what):
    """Finite-difference check of autograd (only for cases with moderate values)."""
    x = logits.detach().clone().requires_grad_(True)
    assert torch.autograd.gradcheck(fn, (x,), eps=1e-6, atol=1e-6, rtol=1e-6), f"{what}: gradcheck"


def weight_row(weights, k):
    if weights is None:
        return torch.ones(k, dtype=DT)
    w = torch.tensor(weights, dtype=DT)
    assert w.shape == (k,)
    return w


# --------------------------------------------------------------------------
# data builders (each case calls torch.manual_seed(seed) first)
# --------------------------------------------------------------------------

def residual_data(n, k, mags, scale=2.0, boundary=None):
    """Targets and predictions whose residuals have the given magnitudes.

    The magnitudes (with random signs) are placed at random positions of the
    [n, k] matrix; the remaining entries get randn * scale residuals. Targets
    are randn * 3. If `boundary` is given, row 0 gets residuals of exactly
    +-boundary (dyadic targets, so pred - target is exact).
    """
    assert len(mags) <= n * k
    targets = torch.randn(n, k, dtype=DT) * 3.0
    d = torch.randn(n * k, dtype=DT) * scale
    m = torch.tensor(mags, dtype=DT)
    signs = torch.where(torch.rand(len(mags), dtype=DT) < 0.5, -1.0, 1.0)
    pos = torch.randperm(n * k)[:len(mags)]
    d[pos] = signs * m
    d = d.reshape(n, k)
    pred = targets + d
    if boundary is not None:
        t0 = torch.round(targets[0] * 8) / 8           # multiples of 1/8: exact sums with a dyadic boundary
        s0 = torch.tensor([(-1.0) ** j for j in range(k)], dtype=DT)
        targets[0] = t0
        pred[0] = t0 + s0 * boundary
        assert bool(((pred[0] - targets[0]).abs() == boundary).all()), "boundary residual not exact"
    return pred, targets


def plus_minus_labels(n, k):
    return torch.where(torch.rand(n, k, dtype=DT) < 0.5, -1.0, 1.0)


def avoid_hinge_kink(f, yp):
    """Nudge scores so that |1 - y'f| > KINK_GAP (moves the margin by 0.01 away from 1)."""
    z = yp * f
    near = (1 - z).abs() <= KINK_GAP
    f = torch.where(near, f + yp * 0.01, f)
    assert bool(((1 - yp * f).abs() > KINK_GAP).all())
    return f


def prob_rows(n, k, scale=1.5):
    return torch.softmax(torch.randn(n, k, dtype=DT) * scale, dim=1)


def with_zero_entries(p, frac=0.35):
    """Zero some entries of probability rows (at least one stays) and renormalise."""
    n, k = p.shape
    zero = torch.rand(n, k, dtype=DT) < frac
    keep = torch.randint(0, k, (n,))
    zero[torch.arange(n), keep] = False
    q = torch.where(zero, torch.zeros_like(p), p)
    return q / q.sum(1, keepdim=True)


def onehot(n, k):
    return F.one_hot(torch.randint(0, k, (n,)), k).to(DT)


def log_labels(p):
    """log of probability rows, with log(0) written as LOG_ZERO."""
    return torch.where(p > 0, torch.log(torch.where(p > 0, p, torch.ones_like(p))), torch.full_like(p, LOG_ZERO))


# --------------------------------------------------------------------------
# losses
# --------------------------------------------------------------------------

def huber(pred, target, delta, weights, name, smooth=False):
    w = weight_row(weights, pred.shape[1])
    if smooth:
        fn = lambda x: (F.smooth_l1_loss(x, target, beta=delta, reduction="none") * w).sum(1)
    else:
        fn = lambda x: (F.huber_loss(x, target, delta=delta, reduction="none") * w).sum(1)
    per_example, grad = with_grad(fn, pred)

    d = pred - target
    a = d.abs()
    hub = torch.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta))
    hub_grad = torch.clamp(d, -delta, delta)
    if smooth:
        # smooth L1 with beta is Huber with delta = beta, divided by beta
        assert_close(per_example, (w * hub / delta).sum(1), f"{name}: smooth_l1 == huber(beta)/beta")
        assert_close(per_example, (w * torch.where(a < delta, 0.5 * d * d / delta, a - 0.5 * delta)).sum(1),
                     f"{name}: smooth_l1 formula")
        assert_close(grad, w * torch.clamp(d / delta, -1, 1), f"{name}: smooth_l1 analytic gradient")
    else:
        assert_close(per_example, (w * hub).sum(1), f"{name}: huber formula")
        assert_close(grad, w * hub_grad, f"{name}: huber analytic gradient")
    if a.max().item() < 300:
        check_gradcheck(fn, pred, name)
    return per_example, grad


def log_cosh_terms(x, target, w):
    a = (x - target).abs()
    return w * (a + torch.log1p(torch.exp(-2 * a)) - LOG2)


def log_cosh(pred, target, weights, name):
    w = weight_row(weights, pred.shape[1])
    elem, grad = with_grad(lambda x: log_cosh_terms(x, target, w), pred)
    per_example = elem.sum(1)

    d = pred - target
    wd = w.expand_as(d)
    cosh = torch.cosh(d)
    ok = torch.isfinite(cosh)
    # where cosh does not overflow: equal to the literal formula ...
    assert_close(elem[ok], wd[ok] * torch.log(cosh[ok]), f"{name}: identity == log(cosh(d))", rtol=1e-12, atol=1e-15)
    # ... and to log1p(2 sinh^2(d/2)), which is also accurate for tiny d (log(cosh) is not)
    mid = d.abs() < 600
    assert_close(elem[mid], wd[mid] * torch.log1p(2 * torch.sinh(d[mid] / 2) ** 2),
                 f"{name}: identity == log1p(2 sinh^2(d/2))", rtol=1e-12, atol=1e-15)
    # where cosh overflows: finite and |d| - log 2 (log1p(exp(-2|d|)) < 1e-300 there)
    if not bool(ok.all()):
        assert_close(elem[~ok], wd[~ok] * (d[~ok].abs() - LOG2), f"{name}: large |d| asymptote", rtol=1e-15, atol=0)
    assert_close(grad, w * torch.tanh(d), f"{name}: gradient == tanh(d)", rtol=1e-12, atol=1e-15)
    if d.abs().max().item() < 300:
        check_gradcheck(lambda x: log_cosh_terms(x, target, w).sum(1), pred, name)
    return per_example, grad


def margin_terms(f, yp, function):
    z = yp * f
    if function == "hinge":
        return torch.clamp(1 - z, min=0)
    if function == "squared_hinge":
        return torch.clamp(1 - z, min=0) ** 2
    if function == "exponential":
        return torch.exp(-z)
    if function == "logistic":
        return F.soft_margin_loss(f, yp, reduction="none")
    raise ValueError(function)


def margin(scores, labels, function, encoding, weights, name):
    k = scores.shape[1]
    w = weight_row(weights, k)
    if encoding == "plus_minus_one":
        assert bool(((labels == -1) | (labels == 1)).all()), f"{name}: labels not in {{-1, +1}}"
        yp = labels
    else:
        assert encoding == "zero_one"
        assert bool(((labels == 0) | (labels == 1)).all()), f"{name}: labels not in {{0, 1}}"
        yp = 2 * labels - 1
    fn = lambda x: (w * margin_terms(x, yp, function)).sum(1)
    per_example, grad = with_grad(fn, scores)

    z = yp * scores
    if function in ("hinge", "squared_hinge"):
        assert bool(((1 - z).abs() > KINK_GAP).all()), f"{name}: margin at the hinge kink"
        r = torch.clamp(1 - z, min=0)
        active = (1 - z) > 0
        if function == "hinge":
            val, g = r, torch.where(active, -yp, torch.zeros_like(yp))
        else:
            val, g = r * r, -2 * r * yp
    elif function == "exponential":
        val, g = torch.exp(-z), -yp * torch.exp(-z)
    else:
        val, g = softplus_stable(-z), -yp * torch.sigmoid(-z)
        assert_close(F.soft_margin_loss(scores, yp, reduction="none"), torch.log1p(torch.exp(-z)),
                     f"{name}: soft_margin_loss == log(1 + exp(-z))")
        assert_close(F.softplus(-z), val, f"{name}: F.softplus(-z) == stable softplus(-z)")
    assert_close(per_example, (w * val).sum(1), f"{name}: {function} formula")
    assert_close(grad, w * g, f"{name}: {function} analytic gradient")
    if scores.abs().max().item() <= 20:  # finite differences are meaningless for exp(50)-sized values
        check_gradcheck(fn, scores, name)
    return per_example, grad


def kl_divergence(logits, labels, log_target, name):
    fn = lambda x: F.kl_div(torch.log_softmax(x, dim=1), labels, reduction="none", log_target=log_target).sum(1)
    per_example, grad = with_grad(fn, logits)
    assert_finite(per_example, f"{name}: per_example")

    logq = torch.log_softmax(logits, dim=1)
    if log_target:
        t = torch.exp(labels)
        assert bool((labels <= 0).all()), f"{name}: log-probabilities must be <= 0"
        assert_close(t.sum(1), torch.ones(labels.shape[0]), f"{name}: exp(labels) rows sum to 1", rtol=0, atol=1e-14)
        assert bool((t[labels == LOG_ZERO] == 0).all()), f"{name}: exp(LOG_ZERO) != 0"
        manual = (t * (labels - logq)).sum(1)
        # same as the plain-probability path with t = exp(labels)
        plain = F.kl_div(logq, t, reduction="none", log_target=False).sum(1)
        assert_close(per_example, plain, f"{name}: log_target path == probability path with exp(labels)")
    else:
        t = labels
        assert bool((t >= 0).all()), f"{name}: negative probability"
        assert_close(t.sum(1), torch.ones(labels.shape[0]), f"{name}: rows sum to 1", rtol=0, atol=1e-14)
        pos = t > 0
        t_log_t = torch.where(pos, t * torch.log(torch.where(pos, t, torch.ones_like(t))), torch.zeros_like(t))
        manual = (t_log_t - t * logq).sum(1)
    assert_close(per_example, manual, f"{name}: sum_c t_c (log t_c - log q_c), 0 log 0 = 0", rtol=1e-10, atol=1e-12)
    # analytic gradient: softmax * sum(t) - t
    assert_close(grad, torch.softmax(logits, 1) * t.sum(1, keepdim=True) - t, f"{name}: analytic gradient")
    if logits.abs().max().item() <= 60:
        check_gradcheck(fn, logits, name)
    return per_example, grad


# --------------------------------------------------------------------------
# case table
# --------------------------------------------------------------------------

def build_cases():
    cases = []

    def add(name, loss, params, logits, labels, per_example, gradient):
        assert logits.shape == labels.shape == gradient.shape and per_example.shape == (logits.shape[0],), name
        for label, t in (("logits", logits), ("labels", labels), ("per_example", per_example), ("gradient", gradient)):
            assert_finite(t, f"{name}: {label}")
        cases.append({
            "name": name,
            "loss": loss,
            "params": params,
            "logits": logits.tolist(),
            "labels": labels.tolist(),
            "per_example": per_example.tolist(),
            "gradient": gradient.tolist(),
        })

    # ---------------- huber / smooth_l1 ----------------
    def branch_mags(delta):
        # below and above delta (close to it on both sides), zero, and large residuals
        return [0.0, 0.1 * delta, 0.5 * delta, 0.9 * delta, 0.999 * delta,
                1.001 * delta, 1.5 * delta, 2 * delta, 5 * delta, 10.0, 100.0, 250.0]

    def huber_case(name, seed, delta, weighted=False, n=6, k=4, smooth=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            pred, target = residual_data(n, k, branch_mags(delta), scale=2 * delta, boundary=delta)
        else:
            pred, target = data
            k = pred.shape[1]
        weights = positive_weights(k) if weighted else None
        pe, g = huber(pred, target, delta, weights, name, smooth=smooth)
        if smooth:
            add(name, "smooth_l1", {"beta": delta, "weights": weights}, pred, target, pe, g)
        else:
            add(name, "huber", {"delta": delta, "weights": weights}, pred, target, pe, g)

    huber_case("huber-delta1-default", 5001, 1.0)
    huber_case("huber-delta0.5", 5002, 0.5)
    huber_case("huber-delta3", 5003, 3.0)
    huber_case("huber-delta1-weights", 5004, 1.0, weighted=True)
    huber_case("huber-delta2-weights-k3", 5005, 2.0, weighted=True, n=5, k=3)
    huber_case("huber-delta1-n1-k1-large-residual", 5006, 1.0,
               data=(torch.tensor([[-97.25]], dtype=DT), torch.tensor([[3.5]], dtype=DT)))

    huber_case("smooth-l1-beta1-default", 5101, 1.0, smooth=True)
    huber_case("smooth-l1-beta0.25", 5102, 0.25, smooth=True)
    huber_case("smooth-l1-beta2", 5103, 2.0, smooth=True)
    huber_case("smooth-l1-beta1-weights", 5104, 1.0, weighted=True, smooth=True)
    huber_case("smooth-l1-beta0.5-weights-k3", 5105, 0.5, weighted=True, n=5, k=3, smooth=True)

    # ---------------- log_cosh ----------------
    def log_cosh_case(name, seed, mags, weighted=False, n=6, k=4, scale=2.0):
        torch.manual_seed(seed)
        pred, target = residual_data(n, k, mags, scale=scale)
        weights = positive_weights(k) if weighted else None
        pe, g = log_cosh(pred, target, weights, name)
        add(name, "log_cosh", {"weights": weights}, pred, target, pe, g)

    ordinary = [0.0, 1e-4, 0.01, 0.3, 1.0, 3.0, 10.0, 25.0]
    large = [0.0, 0.5, 20.0, 40.0, 100.0, 700.0, 709.0, 711.0, 750.0, 750.0, 1000.0, 1000.0]
    log_cosh_case("log-cosh-ordinary", 6001, ordinary)
    log_cosh_case("log-cosh-large-residuals-750-1e3", 6002, large)
    log_cosh_case("log-cosh-weights", 6003, ordinary, weighted=True, n=5, k=3)
    log_cosh_case("log-cosh-weights-large-residuals", 6004, large, weighted=True)

    # ---------------- margin ----------------
    def margin_case(name, seed, function, encoding="plus_minus_one", n=8, k=1, weighted=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            scores = torch.randn(n, k, dtype=DT) * 2.0
            yp = plus_minus_labels(n, k)
        else:
            scores, yp = data
            k = scores.shape[1]
        if function in ("hinge", "squared_hinge"):
            scores = avoid_hinge_kink(scores, yp)
        labels = yp if encoding == "plus_minus_one" else (yp + 1) / 2
        weights = positive_weights(k) if weighted else None
        pe, g = margin(scores, labels, function, encoding, weights, name)
        add(name, "margin", {"function": function, "labels_encoding": encoding, "weights": weights},
            scores, labels, pe, g)

    def extreme_scores(seed, big):
        """[6, 4] scores with |f| <= big, agreeing and disagreeing with +-1 labels, plus moderate ones."""
        torch.manual_seed(seed)
        scores = torch.tensor([
            [big, -big, big, -big],
            [big, -big, big, -big],
            [0.6 * big, -0.6 * big, 0.5, 3.0],
            [-0.2 * big, 0.2 * big, -2.0, 0.0],
        ], dtype=DT)
        yp = torch.tensor([
            [1.0, -1.0, -1.0, 1.0],     # z = +big, +big, -big, -big
            [-1.0, 1.0, 1.0, -1.0],     # z = -big, -big, +big, +big
            [1.0, 1.0, 1.0, -1.0],
            [1.0, 1.0, -1.0, 1.0],
        ], dtype=DT)
        rnd = (torch.rand(2, 4, dtype=DT) * 2 - 1) * big
        return torch.cat([scores, rnd]), torch.cat([yp, plus_minus_labels(2, 4)])

    def seeded(seed, n, k):
        torch.manual_seed(seed)
        return torch.randn(n, k, dtype=DT) * 2.0, plus_minus_labels(n, k)

    for base, function in ((7000, "hinge"), (7100, "squared_hinge"), (7200, "exponential"), (7300, "logistic")):
        tag = function.replace("_", "-")
        margin_case(f"margin-{tag}-ordinary", base + 1, function)
        margin_case(f"margin-{tag}-multi-output-k4", base + 2, function, n=6, k=4)
        margin_case(f"margin-{tag}-multi-output-k3-weights", base + 3, function, n=6, k=3, weighted=True)
        margin_case(f"margin-{tag}-zero-one-labels-k3", base + 4, function, encoding="zero_one", n=6, k=3)
        if function in ("hinge", "squared_hinge", "logistic"):
            margin_case(f"margin-{tag}-extreme-scores-500", base + 5, function, data=extreme_scores(base + 105, 500.0))
        else:
            margin_case(f"margin-{tag}-extreme-scores-50", base + 5, function, data=extreme_scores(base + 105, 50.0))
            margin_case(f"margin-{tag}-extreme-scores-700", base + 6, function, data=extreme_scores(base + 106, 700.0))
    margin_case("margin-logistic-zero-one-extreme-scores-500-weights", 7306, "logistic", encoding="zero_one",
                weighted=True, data=extreme_scores(7406, 500.0))
    margin_case("margin-hinge-n1-k1", 7006, "hinge", data=seeded(7106, 1, 1))

    # ---------------- kl_divergence ----------------
    def kl_case(name, seed, log_target, kind, n=6, k=5):
        torch.manual_seed(seed)
        if kind == "soft":
            logits, p = torch.randn(n, k, dtype=DT) * 2.0, prob_rows(n, k)
        elif kind == "onehot":
            logits, p = torch.randn(n, k, dtype=DT) * 2.0, onehot(n, k)
        elif kind == "zeros":
            logits, p = torch.randn(n, k, dtype=DT) * 2.0, with_zero_entries(prob_rows(n, k))
        else:
            assert kind == "extreme"
            big = 500.0
            logits = torch.tensor([
                [big, -big, -big, -big, -big],       # target class saturated right
                [-big, big, -big, big, -big],        # target split between the two top classes
                [big, -big, 0.0, 0.0, -big],         # target mass on classes with log q ~ -500 / -1000
                [-big, -big, -big, -big, big],       # one-hot, wrong by 1000
                [30.0, 0.0, 0.0, -30.0, 0.0],
            ], dtype=DT)
            p = torch.tensor([
                [1.0, 0.0, 0.0, 0.0, 0.0],
                [0.0, 0.5, 0.0, 0.5, 0.0],
                [0.0, 0.25, 0.25, 0.5, 0.0],
                [1.0, 0.0, 0.0, 0.0, 0.0],
                [0.2, 0.2, 0.2, 0.2, 0.2],
            ], dtype=DT)
            rnd = (torch.rand(1, 5, dtype=DT) * 2 - 1) * big
            logits, p = torch.cat([logits, rnd]), torch.cat([p, with_zero_entries(prob_rows(1, 5))])
        labels = log_labels(p) if log_target else p
        pe, g = kl_divergence(logits, labels, log_target, name)
        add(name, "kl_divergence", {"log_target": log_target}, logits, labels, pe, g)

    for i, kind in enumerate(("soft", "onehot", "zeros", "extreme")):
        label = {"soft": "soft-targets", "onehot": "onehot-targets", "zeros": "targets-with-zeros",
                 "extreme": "extreme-logits-500"}[kind]
        kl_case(f"kl-{label}", 8001 + i, False, kind)
        kl_case(f"kl-{label}-log-target", 8101 + i, True, kind)
    kl_case("kl-soft-targets-k2", 8005, False, "soft", n=6, k=2)

    return cases


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

EXPECTED_PARAMS = {
    "huber": {"delta", "weights"},
    "smooth_l1": {"beta", "weights"},
    "log_cosh": {"weights"},
    "margin": {"function", "labels_encoding", "weights"},
    "kl_divergence": {"log_target"},
}
MAX_ABS_LOGIT = {"huber": 300.0, "smooth_l1": 300.0, "log_cosh": 1010.0, "margin": 700.0, "kl_divergence": 500.0}


def check_doc(doc):
    names = [c["name"] for c in doc["cases"]]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in doc["cases"]:
        assert set(c) == {"name", "loss", "params", "logits", "labels", "per_example", "gradient"}, c["name"]
        p = c["params"]
        assert set(p) == EXPECTED_PARAMS[c["loss"]], c["name"]
        k = len(c["logits"][0])
        if "weights" in p:
            assert p["weights"] is None or len(p["weights"]) == k, c["name"]
        if c["loss"] == "margin":
            assert p["function"] in ("hinge", "squared_hinge", "exponential", "logistic"), c["name"]
            assert p["labels_encoding"] in ("plus_minus_one", "zero_one"), c["name"]
        if c["loss"] == "kl_divergence":
            assert isinstance(p["log_target"], bool), c["name"]
        for key in ("logits", "labels", "per_example", "gradient"):
            flat = torch.tensor(c[key], dtype=DT).flatten()
            assert bool(torch.isfinite(flat).all()), f"{c['name']}: {key} has NaN/Inf"
        assert all(len(row) == k for key in ("logits", "labels", "gradient") for row in c[key]), c["name"]
        assert max(abs(v) for row in c["logits"] for v in row) <= MAX_ABS_LOGIT[c["loss"]], c["name"]


def main():
    cases = build_cases()
    doc = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "cases": cases,
    }
    check_doc(doc)
    text = to_json_text(doc)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(text, encoding="utf-8")

    counts = {}
    for c in cases:
        counts[c["loss"]] = counts.get(c["loss"], 0) + 1
    size = OUT_PATH.stat().st_size
    print(f"wrote {OUT_PATH.relative_to(REPO_ROOT)} (torch {torch.__version__}, torchvision {torchvision.__version__})")
    for loss, n in counts.items():
        print(f"  {loss:22s} {n:3d} cases")
    print(f"  {'total':22s} {len(cases):3d} cases, {size} bytes ({size / 1024:.1f} KiB)")
    assert size < 300 * 1024, "reference JSON grew beyond ~300 KB"


if __name__ == "__main__":
    sys.exit(main())
