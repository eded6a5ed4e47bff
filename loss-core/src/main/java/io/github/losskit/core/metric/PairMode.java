package io.github.losskit.core.metric;

/** Which rows of a minibatch a contrastive loss pairs, and what its labels mean. */
public enum PairMode {
    /**
     * Rows 2i and 2i+1 form a pair. Labels are [2N, 1] and hold the pair's similarity (1 similar, 0 dissimilar)
     * on both of its rows. The number of rows must be even.
     */
    CONSECUTIVE,
    /**
     * Every pair of rows i &lt; j of the minibatch. Labels are class ids [N, 1] (integers) or one-hot rows [N, K];
     * two rows are similar when their classes are equal. O(N^2 D) time, O(N^2) memory.
     */
    ALL_IN_BATCH
}
