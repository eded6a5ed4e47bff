#!/usr/bin/env python3
"""Generate PyTorch reference data for LossKit's multi-task losses.

Writes loss-core/src/test/resources/reference/multitask.json (path is resolved
relative to this script, so it can be run from any directory).

Must be run with an interpreter that has torch, e.g. on Debian 12:
    /usr/bin/python3 tools/reference/generate_multitask.py

Everything is computed in float64. Every case re-seeds torch with its own fixed
seed, so the output is deterministic and adding/removing a case does not change
the data of the other cases.

Three kinds of cases:

  * "weighting": Kendall et al. (2018) uncertainty weighting of scalar task
    losses L_i with learnable s_i = log sigma_i^2:
        total = sum_i c_i * (exp(-s_i) * L_i + s_i)
    with c_i = 1 for the "standard" form and c_i = 1/2 for the "halved" form.
    Gradients d total / d s_i and d total / d L_i come from autograd and are
    checked against c_i * (1 - exp(-s_i) L_i) and c_i * exp(-s_i).
  * "uncertainty_heads": one output of K = 4 + 2 + 3 columns split into a
    classification task (columns [0, 4): softmax cross-entropy, one-hot
    labels), a box task ([4, 6): smooth L1 with beta) and a distribution task
    ([6, 9): KL(labels || softmax), probability targets). L_i is the task's
    MEAN loss per example (each example's loss summed over the task's
    columns, averaged over the N examples); the total is the weighting above.
    grad_logits = d total / d logits, grad_log_variances = d total / d s.
  * "static_heads": the same heads with fixed positive task weights w_i:
    per_example[n] = sum_i w_i * l_i(n) and gradient = d sum(per_example) / d
    logits (DL4J's convention: the gradient of the summed, not averaged, loss).
"""

import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import reference_common as common
from reference_common import DT, to_json_text

GENERATOR = "tools/reference/generate_multitask.py"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUT_PATH = REPO_ROOT / "loss-core" / "src" / "test" / "resources" / "reference" / "multitask.json"

FORM_FACTOR = {"standard": 1.0, "halved": 0.5}
COLUMNS = {"class": [0, 4], "box": [4, 6], "dist": [6, 9]}
TASKS = ["class", "box", "dist"]


def assert_close(actual, expected, what, rtol=1e-12, atol=1e-14):
    """The shared comparison, tighter: these references are closed forms of a few operations."""
    common.assert_close(actual, expected, what, rtol, atol)


def factors(forms):
    return torch.tensor([FORM_FACTOR[f] for f in forms], dtype=DT)


def weighting(s, losses, forms):
    """Kendall's total, written literally: sum_i c_i (exp(-s_i) L_i + s_i)."""
    c = factors(forms)
    return (c * (torch.exp(-s) * losses + s)).sum()


# --------------------------------------------------------------------------
# weighting of scalar task losses
# --------------------------------------------------------------------------

def weighting_case(name, seed, forms, s=None, losses=None):
    torch.manual_seed(seed)
    t = len(forms)
    if s is None:
        s = torch.rand(t, dtype=DT) * 4 - 2
    if losses is None:
        losses = torch.rand(t, dtype=DT) * 3
    s = torch.as_tensor(s, dtype=DT).clone().requires_grad_(True)
    losses = torch.as_tensor(losses, dtype=DT).clone().requires_grad_(True)
    total = weighting(s, losses, forms)
    grad_s, grad_losses = torch.autograd.grad(total, (s, losses))
    c = factors(forms)
    assert_close(grad_s, c * (1 - torch.exp(-s.detach()) * losses.detach()), f"{name}: d/ds analytic")
    assert_close(grad_losses, c * torch.exp(-s.detach()), f"{name}: d/dL analytic")
    if all(abs(v) < 5 for v in s.tolist()) and all(v < 50 for v in losses.tolist()):
        assert torch.autograd.gradcheck(lambda a, b: weighting(a, b, forms), (s, losses), eps=1e-6, atol=1e-7,
                                        rtol=1e-6), f"{name}: gradcheck"
    return {
        "name": name,
        "forms": list(forms),
        "log_variances": s.detach().tolist(),
        "task_losses": losses.detach().tolist(),
        "total": total.item(),
        "grad_log_variances": grad_s.tolist(),
        "grad_task_losses": grad_losses.tolist(),
    }


def weighting_cases():
    cases = [
        weighting_case("standard-zero-s", 1, ["standard"] * 3, s=[0.0, 0.0, 0.0], losses=[0.7, 2.5, 0.125]),
        weighting_case("halved-zero-s", 2, ["halved"] * 3, s=[0.0, 0.0, 0.0], losses=[0.7, 2.5, 0.125]),
        weighting_case("mixed-forms-random", 3, ["standard", "halved", "standard"]),
        weighting_case("single-task-standard", 4, ["standard"]),
        weighting_case("single-task-halved", 5, ["halved"], s=[1.5], losses=[4.0]),
        weighting_case("five-tasks-random", 6, ["halved", "standard", "standard", "halved", "standard"]),
        # a task loss of 0 leaves only the regulariser: d/ds = c, d/dL = c exp(-s)
        weighting_case("zero-loss", 7, ["standard", "halved"], s=[0.5, -0.25], losses=[0.0, 0.0]),
        # at s = log L the derivative with respect to s vanishes: sigma^2 equals the task loss at the optimum
        weighting_case("at-the-optimum", 8, ["standard", "halved", "standard"],
                       s=[math.log(0.3), math.log(2.0), math.log(7.5)], losses=[0.3, 2.0, 7.5]),
        weighting_case("large-log-variances", 9, ["standard", "halved", "standard"], s=[20.0, -20.0, 5.0],
                       losses=[1000.0, 1e-6, 3.0]),
    ]
    at_optimum = cases[7]
    assert all(abs(g) < 1e-15 for g in at_optimum["grad_log_variances"]), "optimum gradient"
    return cases


# --------------------------------------------------------------------------
# heads: classification + box regression + distribution on one output
# --------------------------------------------------------------------------

def head_data(n, seed, scale=2.0):
    torch.manual_seed(seed)
    k = COLUMNS["dist"][1]
    logits = torch.randn(n, k, dtype=DT) * scale
    classes = torch.randint(0, 4, (n,))
    onehot = F.one_hot(classes, 4).to(DT)
    box = torch.randn(n, 2, dtype=DT) * 1.5
    dist = torch.softmax(torch.randn(n, 3, dtype=DT) * 1.5, dim=1)
    labels = torch.cat([onehot, box, dist], dim=1)
    return logits, labels


def per_task_losses(logits, labels, beta):
    """Each task's per-example loss [N], summed over the task's columns."""
    c0, c1 = COLUMNS["class"]
    b0, b1 = COLUMNS["box"]
    d0, d1 = COLUMNS["dist"]
    ce = F.cross_entropy(logits[:, c0:c1], labels[:, c0:c1].argmax(1), reduction="none")
    sl1 = F.smooth_l1_loss(logits[:, b0:b1], labels[:, b0:b1], beta=beta, reduction="none").sum(1)
    kl = F.kl_div(F.log_softmax(logits[:, d0:d1], dim=1), labels[:, d0:d1], reduction="none").sum(1)
    return [ce, sl1, kl]


def check_per_task_formulas(logits, labels, beta, losses, name):
    c0, c1 = COLUMNS["class"]
    b0, b1 = COLUMNS["box"]
    d0, d1 = COLUMNS["dist"]
    logits = logits.detach()
    logp = torch.log_softmax(logits[:, c0:c1], 1)
    assert_close(losses[0].detach(), -(labels[:, c0:c1] * logp).sum(1), f"{name}: cross-entropy formula")
    d = (logits[:, b0:b1] - labels[:, b0:b1]).abs()
    sl1 = torch.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta).sum(1)
    assert_close(losses[1].detach(), sl1, f"{name}: smooth L1 formula")
    t = labels[:, d0:d1]
    kl = (t * (torch.log(t) - torch.log_softmax(logits[:, d0:d1], 1))).sum(1)
    assert_close(losses[2].detach(), kl, f"{name}: KL formula")


def uncertainty_head_case(name, seed, n, forms, s, beta):
    logits, labels = head_data(n, seed)
    x = logits.clone().requires_grad_(True)
    s = torch.tensor(s, dtype=DT, requires_grad=True)
    losses = per_task_losses(x, labels, beta)
    check_per_task_formulas(x, labels, beta, losses, name)
    means = torch.stack([l.mean() for l in losses])
    total = weighting(s, means, forms)
    grad_logits, grad_s = torch.autograd.grad(total, (x, s))
    assert torch.autograd.gradcheck(
        lambda a, b: weighting(b, torch.stack([l.mean() for l in per_task_losses(a, labels, beta)]), forms),
        (logits.clone().requires_grad_(True), s.detach().clone().requires_grad_(True)),
        eps=1e-6, atol=1e-6, rtol=1e-6), f"{name}: gradcheck"
    c = factors(forms)
    assert_close(grad_s, c * (1 - torch.exp(-s.detach()) * means.detach()), f"{name}: d/ds analytic")
    return {
        "name": name,
        "columns": COLUMNS,
        "smooth_l1_beta": beta,
        "forms": list(forms),
        "log_variances": s.detach().tolist(),
        "logits": logits.tolist(),
        "labels": labels.tolist(),
        "task_means": means.detach().tolist(),
        "total": total.item(),
        "grad_logits": grad_logits.tolist(),
        "grad_log_variances": grad_s.tolist(),
    }


def static_head_case(name, seed, n, weights, beta):
    logits, labels = head_data(n, seed)
    x = logits.clone().requires_grad_(True)
    losses = per_task_losses(x, labels, beta)
    check_per_task_formulas(x, labels, beta, losses, name)
    per_example = sum(w * l for w, l in zip(weights, losses))
    (grad,) = torch.autograd.grad(per_example.sum(), x)
    return {
        "name": name,
        "columns": COLUMNS,
        "smooth_l1_beta": beta,
        "weights": list(weights),
        "logits": logits.tolist(),
        "labels": labels.tolist(),
        "per_example": per_example.detach().tolist(),
        "gradient": grad.tolist(),
    }


def uncertainty_head_cases():
    return [
        uncertainty_head_case("head-standard-zero-s", 21, 5, ["standard"] * 3, [0.0, 0.0, 0.0], 1.0),
        uncertainty_head_case("head-mixed-forms", 22, 6, ["standard", "halved", "standard"], [0.3, -0.7, 1.2], 0.5),
        uncertainty_head_case("head-halved-one-example", 23, 1, ["halved"] * 3, [-0.4, 0.9, 0.1], 1.0),
    ]


def static_head_cases():
    return [
        static_head_case("static-unit-weights", 31, 5, [1.0, 1.0, 1.0], 1.0),
        static_head_case("static-weights", 32, 6, [1.0, 5.0, 0.25], 0.5),
        static_head_case("static-one-example", 33, 1, [2.0, 0.5, 3.0], 1.0),
    ]


def check_doc(doc):
    for key in ("weighting", "uncertainty_heads", "static_heads"):
        names = [c["name"] for c in doc[key]]
        assert len(names) == len(set(names)), f"duplicate case names in {key}"
    for c in doc["weighting"]:
        t = len(c["forms"])
        assert all(len(c[k]) == t for k in ("log_variances", "task_losses", "grad_log_variances",
                                             "grad_task_losses")), c["name"]
        assert all(v >= 0 for v in c["task_losses"]), c["name"]
    for c in doc["uncertainty_heads"] + doc["static_heads"]:
        flat = torch.tensor(c["logits"] + c["labels"], dtype=DT)
        assert bool(torch.isfinite(flat).all()), c["name"]


def main():
    doc = {
        "generator": GENERATOR,
        "torch_version": torch.__version__,
        "weighting": weighting_cases(),
        "uncertainty_heads": uncertainty_head_cases(),
        "static_heads": static_head_cases(),
    }
    check_doc(doc)
    text = to_json_text(doc)
    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUT_PATH.write_text(text, encoding="utf-8")
    size = OUT_PATH.stat().st_size
    print(f"wrote {OUT_PATH.relative_to(REPO_ROOT)} (torch {torch.__version__})")
    for key in ("weighting", "uncertainty_heads", "static_heads"):
        print(f"  {key:20s} {len(doc[key]):3d} cases")
    print(f"  {size} bytes ({size / 1024:.1f} KiB)")
    assert size < 300 * 1024, "reference JSON grew beyond ~300 KB"


if __name__ == "__main__":
    sys.exit(main())
