"""What the PyTorch reference generators share: float64 and deterministic torch, tolerant comparisons, the
numerically stable helpers the references are written with, and the JSON layout of the committed files.

Importing this module configures torch (float64 default, one thread, deterministic algorithms).
"""

import json
import re

import torch

DT = torch.float64

torch.set_default_dtype(DT)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def assert_close(actual, expected, what, rtol=1e-10, atol=1e-12):
    actual = torch.as_tensor(actual, dtype=DT)
    expected = torch.as_tensor(expected, dtype=DT)
    assert actual.shape == expected.shape, f"{what}: shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert torch.isfinite(actual).all() and torch.isfinite(expected).all(), f"{what}: non-finite values"
    diff = (actual - expected).abs()
    tol = atol + rtol * expected.abs()
    if not bool((diff <= tol).all()):
        worst = int(torch.argmax(diff - tol))
        raise AssertionError(
            f"{what}: mismatch, max |diff| = {diff.max().item():.3e}; "
            f"worst element {worst}: {actual.flatten()[worst].item()!r} vs {expected.flatten()[worst].item()!r}")


def assert_finite(t, what):
    assert bool(torch.isfinite(t).all()), f"{what}: contains NaN/Inf:\n{t}"


def softplus_stable(x):
    """log(1 + exp(x)) accurate to double precision for every x."""
    return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))


def with_grad(fn, logits):
    """Run fn on a fresh leaf copy of logits; return (value, d sum(value)/d logits)."""
    x = logits.detach().clone().requires_grad_(True)
    value = fn(x)
    (grad,) = torch.autograd.grad(value.sum(), x)
    return value.detach(), grad.detach()


def positive_weights(k, lo=0.25, hi=3.0):
    return (torch.rand(k, dtype=DT) * (hi - lo) + lo).tolist()


def to_json_text(doc):
    text = json.dumps(doc, indent=2, allow_nan=False)
    # put every innermost list of numbers on one line (rows of the matrices, vectors, params)
    text = re.sub(r"\[\s*([-+0-9.eE,\s]*?)\s*\]", lambda m: "[" + re.sub(r",\s*", ", ", m.group(1)) + "]", text)
    assert json.loads(text) == doc, "JSON re-layout changed the content"
    return text + "\n"
