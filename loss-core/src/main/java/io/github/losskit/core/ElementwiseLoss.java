package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss that is a sum of independent per-element terms l(y, x), such as binary cross-entropy from logits,
 * sigmoid focal loss or a regression loss. The implementation computes only the terms; masks, per-output
 * weights and the sum over outputs are applied by {@link LossEvaluator}.
 *
 * <p>Implementations use ND4J ops only (no loops over elements) and never modify their arguments.
 */
@FunctionalInterface
public interface ElementwiseLoss {

    /**
     * @param labels labels, already validated and with masked positions replaced by zero
     * @param input  the loss input (logits or activations), same shape, masked positions replaced by zero
     * @param need   whether values, derivatives or both are wanted
     */
    ElementwiseTerms terms(INDArray labels, INDArray input, Need need);

    /**
     * The label that replaces masked labels before {@link #checkLabels} and {@link #terms} see them: a
     * valid label of the loss (0 unless 0 is outside its domain).
     */
    default double maskedLabel() {
        return 0.0;
    }

    /** Checks that labels lie in the loss's domain; called on unmasked labels only. */
    default void checkLabels(String lossName, INDArray labels) {
    }

    /**
     * The part of {@link #checkLabels} that a finite score does not prove. When the score is computed, the
     * evaluator calls this before {@link #terms} and runs the full {@link #checkLabels} only if the score
     * turns out not to be finite. A loss whose every value is NaN or infinite at a NaN (or infinite) label
     * leaves that test to the score and saves a pass over the labels on every call; the default keeps the
     * full check.
     */
    default void checkLabelsGivenFiniteScore(String lossName, INDArray labels) {
        checkLabels(lossName, labels);
    }
}
