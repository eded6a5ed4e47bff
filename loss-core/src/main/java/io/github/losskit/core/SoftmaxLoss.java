package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss over the softmax of a row of logits whose per-class terms are weighted by a target t_c, such as
 * cross-entropy (-sum t_c log p_c) or softmax focal loss. Class weights, per-class alpha, per-output masks
 * and per-example masks all scale the per-class terms, so {@link LossEvaluator} folds them into the targets
 * before calling {@link #evaluate}; the loss itself never sees a mask.
 */
public interface SoftmaxLoss {

    /**
     * Turns labels into targets before weights are folded in (label smoothing, for instance). The default
     * returns the labels themselves; an implementation that changes them returns a new array.
     */
    default INDArray targets(INDArray labels) {
        return labels;
    }

    /**
     * Per-class factors [1, classes] multiplied into every target row (class weights, alpha) in the data type
     * of {@code like}, or {@code null}.
     */
    default INDArray classFactors(INDArray like) {
        return null;
    }

    /**
     * Per-class terms that do not depend on the logits (the target entropy part of a KL divergence), of the
     * labels' shape, or {@code null} (the default). The evaluator weighs them like the targets and adds their
     * row sums to the per-example values; they add nothing to the gradient.
     */
    default INDArray constantTerms(INDArray labels) {
        return null;
    }

    /**
     * @param targets per-class target weights t, shape {@code [minibatch, classes]}; may be modified in place
     * @param logits  logits, same shape; never modified
     */
    LossResult evaluate(INDArray targets, INDArray logits, Need need);

    /** Checks that labels lie in the loss's domain; called with masked rows zeroed. */
    default void checkLabels(String lossName, INDArray labels, LabelStats stats) {
        Checks.labelsInRange(lossName, stats, labels.shape(), 0.0, Double.POSITIVE_INFINITY);
    }
}
