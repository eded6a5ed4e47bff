package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One evaluation of a loss over a minibatch, masks and weights already applied: each example's loss, shape
 * {@code [minibatch, 1]}, and the derivative of the summed loss with respect to the loss input (logits for the
 * fused paths), the input's shape. Either is {@code null} when it was not asked for; when only the total was
 * asked for ({@link Need#TOTAL}), the per-example losses may be {@code null} and {@link #total()} holds it.
 */
public final class LossResult {

    private final INDArray perExample;
    private final INDArray gradient;
    /** The sum of {@link #perExample}, when the evaluation already had to compute it. */
    private final Double knownTotal;

    public LossResult(INDArray perExample, INDArray gradient) {
        this(perExample, gradient, null);
    }

    private LossResult(INDArray perExample, INDArray gradient, Double knownTotal) {
        this.perExample = perExample;
        this.gradient = gradient;
        this.knownTotal = knownTotal;
    }

    /** A result whose total is already known, so that {@link #total()} need not read the scores again. */
    static LossResult withTotal(INDArray perExample, INDArray gradient, double total) {
        return new LossResult(perExample, gradient, total);
    }

    /** This result with another gradient (the chain rule through an activation, say); the scores are kept. */
    public LossResult withGradient(INDArray newGradient) {
        return new LossResult(perExample, newGradient, knownTotal);
    }

    /** A loss of 0 with a zero gradient for every row of {@code input} [minibatch, columns], as {@code need} asks. */
    public static LossResult zero(INDArray input, Need need) {
        return new LossResult(need.score() ? Nd4j.zeros(input.dataType(), input.size(0), 1) : null,
                need.gradient() ? Nd4j.zeros(input.dataType(), input.shape()) : null);
    }

    public INDArray perExample() {
        return perExample;
    }

    public INDArray gradient() {
        return gradient;
    }

    /** The sum of the per-example losses: the loss of the minibatch before any averaging. */
    public double total() {
        return knownTotal != null ? knownTotal : perExample.sumNumber().doubleValue();
    }
}
