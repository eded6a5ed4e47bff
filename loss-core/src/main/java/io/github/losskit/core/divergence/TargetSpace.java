package io.github.losskit.core.divergence;

/** Whether target distributions are given as probabilities or as log-probabilities. */
public enum TargetSpace {
    PROBABILITIES,
    /** Log-probabilities (PyTorch's {@code log_target=True}); keeps tiny probabilities exact. */
    LOG_PROBABILITIES
}
