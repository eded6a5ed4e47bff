package io.github.losskit.core;

/** What a caller wants from one evaluation of a loss; the loss computes only that, sharing intermediates. */
public enum Need {
    /** Each example's score, [minibatch, 1]. */
    SCORE,
    GRADIENT,
    SCORE_AND_GRADIENT,
    /** Only the minibatch's summed score: the evaluator may skip the column of per-example scores. */
    TOTAL,
    TOTAL_AND_GRADIENT;

    public boolean score() {
        return this != GRADIENT;
    }

    public boolean gradient() {
        return this == GRADIENT || this == SCORE_AND_GRADIENT || this == TOTAL_AND_GRADIENT;
    }

    /** Whether the per-example scores must be returned, not only their sum. */
    public boolean perExample() {
        return this == SCORE || this == SCORE_AND_GRADIENT;
    }

    /** The same request with per-example scores wherever a score is asked for. */
    public Need withPerExample() {
        return this == TOTAL ? SCORE : this == TOTAL_AND_GRADIENT ? SCORE_AND_GRADIENT : this;
    }
}
