package io.github.losskit.core;

/** What a caller wants from one evaluation of a loss; the loss computes only that, sharing intermediates. */
public enum Need {
    SCORE,
    GRADIENT,
    SCORE_AND_GRADIENT;

    public boolean score() {
        return this != GRADIENT;
    }

    public boolean gradient() {
        return this != SCORE;
    }
}
