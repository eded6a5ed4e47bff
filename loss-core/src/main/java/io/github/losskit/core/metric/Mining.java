package io.github.losskit.core.metric;

/**
 * Which triplets (anchor a, positive p of a's class, negative n of another class) a triplet loss uses. Except
 * for {@link #CONSECUTIVE}, labels are class ids [N, 1] (integers) or one-hot rows [N, K]. An anchor without a
 * positive or without a negative among the kept rows of the batch forms no triplet: it adds zero loss and zero
 * gradient and is not counted in the mean. A batch of one class therefore scores 0. Class ids are compared in
 * the embeddings' data type (exact up to 2^24 in float).
 */
public enum Mining {
    /**
     * Rows 3i, 3i+1, 3i+2 are anchor, positive and negative. Labels are ignored but must be [3N, 1]. The loss is
     * the mean over triplets, as PyTorch's {@code TripletMarginLoss}. O(N D).
     */
    CONSECUTIVE,
    /**
     * Every valid triplet of the batch (Hermans et al. 2017, "batch all"). With the hinge the loss is the mean
     * over triplets with positive loss (0 when none is active); with the soft margin, the mean over all valid
     * triplets. O(N^3) time; memory O(N^2 + c N^2) with anchors processed in chunks of c.
     */
    BATCH_ALL,
    /**
     * Per anchor, its farthest positive and its nearest negative (Hermans et al. 2017, "batch hard"). The loss is
     * the mean over anchors that have a positive and a negative. O(N^2 D) time, O(N^2) memory.
     */
    BATCH_HARD,
    /**
     * Per anchor-positive pair (FaceNet, Schroff et al. 2015): the nearest negative n with
     * d(a,p) &lt; d(a,n) &lt; d(a,p) + margin, or, when there is none, the anchor's nearest negative. The loss is the
     * mean over anchor-positive pairs whose anchor has a negative. The band uses {@code margin} also with the
     * soft margin. O(N^3) time; memory O(N^2 + c N^2) with anchors processed in chunks of c.
     */
    SEMI_HARD
}
