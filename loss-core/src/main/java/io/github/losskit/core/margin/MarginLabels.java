package io.github.losskit.core.margin;

/** How labels encode the two classes of a margin loss. */
public enum MarginLabels {
    /** -1 and +1, the margin losses' own convention. */
    PLUS_MINUS_ONE,
    /** 0 and 1, as for cross-entropy; mapped to -1 and +1. */
    ZERO_ONE
}
