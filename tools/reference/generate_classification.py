#!/usr/bin/env python3
"""Generate PyTorch reference data for LossKit's classification losses.

Writes loss-core/src/test/resources/reference/classification.json (path is
resolved relative to this script, so it can be run from any directory).

Must be run with an interpreter that has torch and torchvision, e.g. on
Debian 12:  /usr/bin/python3 tools/reference/generate_classification.py

Everything is computed in float64. Every case re-seeds torch with its own
fixed seed, so the output is deterministic and adding/removing a case does
not change the data of the other cases.

Conventions (see also tools/reference/README.md):
  * "labels" is always the dense [N, K] label matrix, un-smoothed.
  * "per_example" is each example's loss summed over its K outputs/classes
    (for cross_entropy: torch's reduction='none' output).
  * "gradient" is d(sum(per_example))/d(logits) from torch autograd.
  * sigmoid_focal: per_example comes from torchvision.ops.sigmoid_focal_loss.
    The gradient is autograd through torchvision, EXCEPT when that gives a
    non-finite value (gamma < 1 with saturated logits: torchvision computes
    1 - p_t by cancellation, gets exactly 0, and d(x**gamma)/dx = inf there).
    For such a case the whole gradient is instead autograd through the
    algebraically identical, stable form
        1 - p_t = t * sigmoid(-x) + (1 - t) * sigmoid(x),
        (1 - p_t)**gamma = exp(gamma * log(1 - p_t))   (0 where 1 - p_t == 0)
    which is asserted to agree with torchvision wherever torchvision is finite.
  * softmax_focal: hand-written in torch with 1 - p = -expm1(log p) and the
    same exp(gamma * log q) / torch.where guard.
"""

import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision
from torchvision.ops import sigmoid_focal_loss
from reference_common import DT, assert_close, assert_finite, softplus_stable, with_grad, positive_weights, to_json_text

GENERATOR = "tools/reference/generate_classification.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = REPO_ROOT / "loss-core" / "src" / "test" / "resources" / "reference" / "classification.json"


# --------------------------------------------------------------------------
# stable helpers
# --------------------------------------------------------------------------

def pow_guarded(q, gamma):
    """q**gamma for q >= 0 whose autograd gradient is finite everywhere.

    For gamma == 0 this is identically 1 (0**0 == 1). For gamma > 0 it is
    exp(gamma*log(q)) where q > 0 and exactly 0 where q == 0; the gradient at
    q == 0 is 0 (the where() blocks it), which is the correct limit of the
    full loss term, since every use multiplies it by a factor that is itself
    O(q) or smaller.
    """
    if gamma == 0:
        return torch.ones_like(q)
    assert gamma > 0
    pos = q > 0
    q_safe = torch.where(pos, q, torch.ones_like(q))
    return torch.where(pos, torch.exp(gamma * torch.log(q_safe)), torch.zeros_like(q))


# --------------------------------------------------------------------------
# data builders (each case calls torch.manual_seed(seed) first)
# --------------------------------------------------------------------------

def randn_logits(n, k, scale=2.0):
    return torch.randn(n, k, dtype=DT) * scale


def onehot_labels(n, k):
    idx = torch.randint(0, k, (n,))
    return F.one_hot(idx, k).to(DT)


def soft_class_labels(n, k):
    return torch.softmax(torch.randn(n, k, dtype=DT) * 1.5, dim=1)


def multilabel(n, k, p=0.3):
    return torch.bernoulli(torch.full((n, k), p, dtype=DT))


# --------------------------------------------------------------------------
# losses
# --------------------------------------------------------------------------

def cross_entropy(logits, labels, label_smoothing, weights, soft):
    n, k = labels.shape
    w = None if weights is None else torch.tensor(weights, dtype=DT)
    if soft:
        target = labels
    else:
        assert bool(((labels == 0) | (labels == 1)).all()) and bool((labels.sum(1) == 1).all()), "not one-hot"
        target = labels.argmax(dim=1)

    per_example, grad = with_grad(
        lambda x: F.cross_entropy(x, target, weight=w, label_smoothing=label_smoothing, reduction="none"),
        logits)
    assert per_example.shape == (n,)

    # hand check: dense formula -sum_c w_c t'_c logp_c with t' = (1-eps) t + eps/K
    wv = torch.ones(k, dtype=DT) if w is None else w
    logp = torch.log_softmax(logits, dim=1)
    t_s = labels * (1 - label_smoothing) + label_smoothing / k
    assert_close(per_example, -(wv * t_s * logp).sum(1), "CE dense formula")
    # for one-hot targets, also the spelled-out index form (1-eps)*w_y*nll + eps/K*sum_c w_c*(-logp_c)
    if not soft:
        nll = -(wv[target] * logp.gather(1, target[:, None])[:, 0])
        smooth = -(wv * logp).sum(1)
        assert_close(per_example, (1 - label_smoothing) * nll + label_smoothing / k * smooth, "CE index formula")
        # and torch's probability-target path gives the same for the one-hot matrix
        assert_close(per_example,
                     F.cross_entropy(logits, labels, weight=w, label_smoothing=label_smoothing, reduction="none"),
                     "CE index vs probability target")
    # analytic gradient: softmax * sum_c(w_c t'_c) - w * t'
    wt = wv * t_s
    assert_close(grad, torch.softmax(logits, 1) * wt.sum(1, keepdim=True) - wt, "CE analytic gradient")
    return per_example, grad


def binary_cross_entropy(logits, labels, pos_weight, weights, label_smoothing):
    w = None if weights is None else torch.tensor(weights, dtype=DT)
    pw = None if pos_weight is None else torch.tensor(pos_weight, dtype=DT)
    smoothed = labels * (1 - label_smoothing) + label_smoothing / 2
    elem, grad = with_grad(
        lambda x: F.binary_cross_entropy_with_logits(x, smoothed, weight=w, pos_weight=pw, reduction="none"),
        logits)
    per_example = elem.sum(dim=1)

    # hand check: w * ((1-s) x + (1 + (pw-1) s) softplus(-x)); grad w * ((1-s) sigmoid(x) - pw s sigmoid(-x))
    wv = torch.ones(()) if w is None else w
    pwv = torch.ones(()) if pw is None else pw
    s, x = smoothed, logits
    manual = wv * ((1 - s) * x + (1 + (pwv - 1) * s) * softplus_stable(-x))
    assert_close(elem, manual, "BCE formula")
    assert_close(grad, wv * ((1 - s) * torch.sigmoid(x) - pwv * s * torch.sigmoid(-x)), "BCE analytic gradient")
    return per_example, grad


def sigmoid_focal_stable(x, t, alpha, gamma):
    ce = t * softplus_stable(-x) + (1 - t) * softplus_stable(x)  # == BCE-with-logits, accurate at +-500
    q = t * torch.sigmoid(-x) + (1 - t) * torch.sigmoid(x)  # == 1 - p_t, without cancellation
    loss = ce * pow_guarded(q, gamma)
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return loss


def sigmoid_focal(logits, labels, gamma, alpha, name):
    elem_tv, grad_tv = with_grad(lambda x: sigmoid_focal_loss(x, labels, alpha=alpha, gamma=gamma, reduction="none"),
                                 logits)
    assert_finite(elem_tv, f"{name}: torchvision loss")
    elem_st, grad_st = with_grad(lambda x: sigmoid_focal_stable(x, labels, alpha, gamma), logits)
    assert_finite(grad_st, f"{name}: stable gradient")
    assert_close(elem_tv, elem_st, f"{name}: torchvision vs stable loss", rtol=1e-9, atol=1e-12)
    finite = torch.isfinite(grad_tv)
    assert_close(grad_tv[finite], grad_st[finite], f"{name}: torchvision vs stable gradient", rtol=1e-8, atol=1e-12)
    if bool(finite.all()):
        grad = grad_tv
    else:
        print(f"  note: {name}: torchvision autograd gives {int((~finite).sum())} non-finite gradient "
              f"entries; using the stable formulation's autograd gradient for this case")
        grad = grad_st
    if bool(((labels == 0) | (labels == 1)).all()):
        # analytic gradient for 0/1 labels, s = 2t-1, q = sigmoid(-s x) = 1 - p_t, ce = softplus(-s x):
        #   dL/dx = -s * alpha_t * q**gamma * (gamma * (1 - q) * ce + q)
        s = 2 * labels - 1
        q = torch.sigmoid(-s * logits)
        ce = softplus_stable(-s * logits)
        a_t = (alpha * labels + (1 - alpha) * (1 - labels)) if alpha >= 0 else torch.ones_like(labels)
        assert_close(grad, -s * a_t * q ** gamma * (gamma * (1 - q) * ce + q), f"{name}: analytic gradient",
                     rtol=1e-8, atol=1e-12)
    if alpha < 0 and gamma == 0:
        bce, bce_grad = binary_cross_entropy(logits, labels, None, None, 0.0)
        assert_close(elem_tv.sum(1), bce, f"{name}: gamma=0, alpha<0 equals BCE")
        assert_close(grad, bce_grad, f"{name}: gamma=0, alpha<0 gradient equals BCE")
    return elem_tv.sum(dim=1), grad


def softmax_focal_terms(x, labels, alpha, gamma):
    logp = torch.log_softmax(x, dim=1)
    q = -torch.expm1(logp)  # 1 - p, accurate also when p -> 1
    return -(alpha * labels * pow_guarded(q, gamma) * logp)


def softmax_focal(logits, labels, gamma, alpha_list, name):
    alpha = torch.tensor(alpha_list, dtype=DT)
    assert alpha.shape == (labels.shape[1],)
    elem, grad = with_grad(lambda x: softmax_focal_terms(x, labels, alpha, gamma), logits)
    per_example = elem.sum(dim=1)
    extreme = logits.abs().max().item() > 50
    if not extreme:
        # naive formula as given in the issue, fine away from saturation
        def naive(x):
            logp = torch.log_softmax(x, dim=1)
            p = logp.exp()
            return -(alpha * labels * (1 - p) ** gamma * logp).sum(dim=1)
        n_val, n_grad = with_grad(naive, logits)
        assert_close(per_example, n_val, f"{name}: stable vs naive loss")
        assert_close(grad, n_grad, f"{name}: stable vs naive gradient", rtol=1e-9)
        # finite-difference check of the autograd gradient
        x = logits.detach().clone().requires_grad_(True)
        assert torch.autograd.gradcheck(lambda x: softmax_focal_terms(x, labels, alpha, gamma).sum(1), (x,),
                                        eps=1e-6, atol=1e-7, rtol=1e-6), f"{name}: gradcheck"
    if bool(((labels == 0) | (labels == 1)).all()) and bool((labels.sum(1) == 1).all()):
        # analytic gradient for one-hot labels (target y, q = 1 - p_y, r = log(p_y)/q -> -1 as q -> 0):
        #   dL/dx_j = -alpha_y * (delta_jy - p_j) * (q**gamma - gamma * q**gamma * p_y * r)
        y = labels.argmax(1, keepdim=True)
        logp = torch.log_softmax(logits, dim=1)
        p = logp.exp()
        logp_y, p_y = logp.gather(1, y), p.gather(1, y)
        q = -torch.expm1(logp_y)
        r = torch.where(q > 0, logp_y / torch.where(q > 0, q, torch.ones_like(q)), -torch.ones_like(q))
        qg = q ** gamma
        factor = qg - gamma * qg * p_y * r
        delta_minus_p = torch.where(labels == 1, q.expand_as(p), -p)
        assert_close(grad, -alpha[y] * delta_minus_p * factor, f"{name}: analytic gradient", rtol=1e-9)
    if gamma == 0 and bool((alpha == 1).all()):
        ce, ce_grad = cross_entropy(logits, labels, 0.0, None, soft=True)
        assert_close(per_example, ce, f"{name}: gamma=0, alpha=1 equals CE")
        assert_close(grad, ce_grad, f"{name}: gamma=0, alpha=1 gradient equals CE")
    return per_example, grad


# --------------------------------------------------------------------------
# extreme-logit inputs (|logits| <= 500)
# --------------------------------------------------------------------------

def extreme_class_rows(k, seed):
    """Rows for softmax losses; returns (logits [6,k], class index per row)."""
    torch.manual_seed(seed)
    rows, idx = [], []

    def row(target, target_val, others):
        r = list(others)
        r.insert(target, target_val)
        rows.append(r)
        idx.append(target)

    big = 500.0
    row(0, big, [-big] * (k - 1))                                   # target saturated right: 1 - p == 0 exactly
    row(1 % k, big, [big - 20.0] + [-big] * (k - 2))                # right, 1 - p ~ e^-20
    row(2 % k, 30.0, [0.0] * (k - 1))                               # right, 1 - p ~ (k-1) e^-30
    row(k - 1, -big, [big] * (k - 1))                               # target saturated wrong
    row(0, 0.0, [big] + [-big] * (k - 2))                           # wrong by 500
    u = (torch.rand(k, dtype=DT) * 2 - 1) * big                     # random in [-500, 500]
    rows.append(u.tolist())
    idx.append(int(torch.randint(0, k, ())))
    logits = torch.tensor(rows, dtype=DT)
    return logits, F.one_hot(torch.tensor(idx), k).to(DT)


def extreme_multilabel(seed):
    """[6,4] logits and 0/1 labels, agreeing and disagreeing signs, |x| <= 500."""
    torch.manual_seed(seed)
    logits = torch.tensor([
        [500.0, -500.0, 500.0, -500.0],
        [40.0, -40.0, 37.0, -37.0],
        [20.0, -20.0, 100.0, -100.0],
        [500.0, 300.0, -300.0, -500.0],
    ], dtype=DT)
    labels = torch.tensor([
        [1.0, 0.0, 0.0, 1.0],   # terms ~0, ~0, ~500, ~500
        [1.0, 0.0, 0.0, 1.0],
        [1.0, 0.0, 0.0, 1.0],
        [0.0, 1.0, 1.0, 0.0],
    ], dtype=DT)
    rnd_logits = (torch.rand(2, 4, dtype=DT) * 2 - 1) * 500.0
    rnd_labels = multilabel(2, 4, 0.5)
    return torch.cat([logits, rnd_logits]), torch.cat([labels, rnd_labels])


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

    # ---------------- cross_entropy ----------------
    def ce_case(name, seed, n, k, ls=0.0, weighted=False, soft=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            logits = randn_logits(n, k)
            labels = soft_class_labels(n, k) if soft else onehot_labels(n, k)
        else:
            logits, labels = data
            k = logits.shape[1]
        weights = positive_weights(k) if weighted else None
        pe, g = cross_entropy(logits, labels, ls, weights, soft)
        add(name, "cross_entropy", {"label_smoothing": ls, "weights": weights}, logits, labels, pe, g)

    ce_case("ce-onehot-plain", 1001, 6, 5)
    ce_case("ce-onehot-smoothing-0.1", 1002, 6, 5, ls=0.1)
    ce_case("ce-onehot-class-weights", 1003, 6, 5, weighted=True)
    ce_case("ce-onehot-class-weights-smoothing-0.2", 1004, 7, 4, ls=0.2, weighted=True)
    ce_case("ce-soft-plain", 1005, 6, 5, soft=True)
    ce_case("ce-soft-smoothing-0.1", 1006, 5, 6, ls=0.1, soft=True)
    ce_case("ce-soft-smoothing-0.15-class-weights", 1007, 5, 7, ls=0.15, weighted=True, soft=True)
    ce_case("ce-onehot-extreme-logits-500", 1008, None, None, data=extreme_class_rows(5, 1108))
    ce_case("ce-onehot-extreme-logits-500-smoothing-0.1-class-weights", 1009, None, None, ls=0.1, weighted=True,
            data=extreme_class_rows(5, 1109))
    ce_case("ce-onehot-k2", 1010, 8, 2)
    ce_case("ce-soft-k2-smoothing-0.1", 1011, 6, 2, ls=0.1, soft=True)
    ce_case("ce-onehot-n1-k10-smoothing-0.05", 1012, 1, 10, ls=0.05)

    # ---------------- binary_cross_entropy ----------------
    def bce_case(name, seed, n=6, k=4, pos_weight=None, weighted=False, ls=0.0, soft=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            logits = randn_logits(n, k)
            labels = torch.rand(n, k, dtype=DT) if soft else multilabel(n, k)
        else:
            logits, labels = data
            k = logits.shape[1]
        if pos_weight == "per-output":
            pos_weight = positive_weights(k, 0.5, 5.0)
        weights = positive_weights(k) if weighted else None
        pe, g = binary_cross_entropy(logits, labels, pos_weight, weights, ls)
        add(name, "binary_cross_entropy",
            {"pos_weight": pos_weight, "weights": weights, "label_smoothing": ls}, logits, labels, pe, g)

    bce_case("bce-multilabel-plain", 2001)
    bce_case("bce-pos-weight-single-3.0", 2002, pos_weight=[3.0])
    bce_case("bce-pos-weight-per-output", 2003, pos_weight="per-output")
    bce_case("bce-output-weights", 2004, weighted=True)
    bce_case("bce-smoothing-0.1", 2005, ls=0.1)
    bce_case("bce-pos-weight-per-output-output-weights-smoothing-0.1", 2006, n=5, k=6,
             pos_weight="per-output", weighted=True, ls=0.1)
    bce_case("bce-soft-labels", 2007, soft=True)
    bce_case("bce-extreme-logits-500", 2008, data=extreme_multilabel(2108))
    bce_case("bce-extreme-logits-500-pos-weight-single-2.5-smoothing-0.1", 2009, pos_weight=[2.5], ls=0.1,
             data=extreme_multilabel(2109))
    bce_case("bce-n1-k1", 2010, n=1, k=1)

    # ---------------- sigmoid_focal ----------------
    def sf_case(name, seed, gamma, alpha, n=6, k=4, soft=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            logits = randn_logits(n, k)
            labels = torch.rand(n, k, dtype=DT) if soft else multilabel(n, k)
        else:
            logits, labels = data
        pe, g = sigmoid_focal(logits, labels, gamma, alpha, name)
        add(name, "sigmoid_focal", {"gamma": gamma, "alpha": alpha}, logits, labels, pe, g)

    sf_case("sigmoid-focal-gamma2-alpha0.25", 3001, 2.0, 0.25)
    sf_case("sigmoid-focal-gamma0-no-alpha-equals-bce", 3002, 0.0, -1.0)
    sf_case("sigmoid-focal-gamma0.5-alpha0.25", 3003, 0.5, 0.25)
    sf_case("sigmoid-focal-gamma1-alpha0.75", 3004, 1.0, 0.75)
    sf_case("sigmoid-focal-gamma5-alpha0.25", 3005, 5.0, 0.25, n=5, k=6)
    sf_case("sigmoid-focal-gamma2-no-alpha", 3006, 2.0, -1.0)
    sf_case("sigmoid-focal-soft-labels-gamma2-alpha0.25", 3007, 2.0, 0.25, soft=True)
    sf_case("sigmoid-focal-extreme-logits-500-gamma2-alpha0.25", 3008, 2.0, 0.25, data=extreme_multilabel(3108))
    sf_case("sigmoid-focal-extreme-logits-500-gamma0.5-alpha0.25", 3009, 0.5, 0.25, data=extreme_multilabel(3109))

    # ---------------- softmax_focal ----------------
    def smf_case(name, seed, gamma, alpha, n=6, k=5, soft=False, data=None):
        torch.manual_seed(seed)
        if data is None:
            logits = randn_logits(n, k)
            labels = soft_class_labels(n, k) if soft else onehot_labels(n, k)
        else:
            logits, labels = data
            k = logits.shape[1]
        if alpha == "per-class":
            alpha = (torch.rand(k, dtype=DT) * 0.9 + 0.1).tolist()
        elif not isinstance(alpha, list):
            alpha = [float(alpha)] * k
        pe, g = softmax_focal(logits, labels, gamma, alpha, name)
        add(name, "softmax_focal", {"gamma": gamma, "alpha": alpha}, logits, labels, pe, g)

    smf_case("softmax-focal-onehot-gamma2-alpha0.25", 4001, 2.0, 0.25)
    smf_case("softmax-focal-onehot-gamma0-alpha1-equals-ce", 4002, 0.0, 1.0)
    smf_case("softmax-focal-onehot-gamma0.5-per-class-alpha", 4003, 0.5, "per-class")
    smf_case("softmax-focal-onehot-gamma1-alpha0.5", 4004, 1.0, 0.5)
    smf_case("softmax-focal-onehot-gamma3.7-per-class-alpha", 4005, 3.7, "per-class", n=5, k=7)
    smf_case("softmax-focal-soft-gamma2-per-class-alpha", 4006, 2.0, "per-class", soft=True)
    smf_case("softmax-focal-soft-gamma0-alpha1-equals-ce", 4007, 0.0, 1.0, soft=True)
    smf_case("softmax-focal-extreme-logits-500-gamma2-alpha0.25", 4008, 2.0, 0.25, data=extreme_class_rows(5, 4108))
    smf_case("softmax-focal-extreme-logits-500-gamma0.5-per-class-alpha", 4009, 0.5, "per-class",
             data=extreme_class_rows(5, 4109))
    smf_case("softmax-focal-onehot-k2-gamma2-alpha0.25", 4010, 2.0, 0.25, n=8, k=2)

    return cases


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

def check_doc(doc):
    names = [c["name"] for c in doc["cases"]]
    assert len(names) == len(set(names)), "duplicate case names"
    expected_params = {
        "cross_entropy": {"label_smoothing", "weights"},
        "binary_cross_entropy": {"pos_weight", "weights", "label_smoothing"},
        "sigmoid_focal": {"gamma", "alpha"},
        "softmax_focal": {"gamma", "alpha"},
    }
    for c in doc["cases"]:
        assert set(c) == {"name", "loss", "params", "logits", "labels", "per_example", "gradient"}, c["name"]
        assert set(c["params"]) == expected_params[c["loss"]], c["name"]
        for key in ("logits", "labels", "per_example", "gradient"):
            flat = torch.tensor(c[key], dtype=DT).flatten()
            assert bool(torch.isfinite(flat).all()), f"{c['name']}: {key} has NaN/Inf"
        assert max(abs(v) for row in c["logits"] for v in row) <= 500.0, c["name"]


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
