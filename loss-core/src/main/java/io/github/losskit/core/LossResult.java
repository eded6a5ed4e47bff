package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One evaluation of a loss over a minibatch, masks and weights already applied.
 *
 * @param perExample each example's loss, shape {@code [minibatch, 1]}; {@code null} if not asked for
 * @param gradient   derivative of the summed loss with respect to the loss input (logits for the fused
 *                   paths), the input's shape; {@code null} if not asked for
 */
public record LossResult(INDArray perExample, INDArray gradient) {

    /** A loss of 0 with a zero gradient for every row of {@code input} [minibatch, columns], as {@code need} asks. */
    public static LossResult zero(INDArray input, Need need) {
        return new LossResult(need.score() ? Nd4j.zeros(input.dataType(), input.size(0), 1) : null,
                need.gradient() ? Nd4j.zeros(input.dataType(), input.shape()) : null);
    }

    /** The sum of the per-example losses: the loss of the minibatch before any averaging. */
    public double total() {
        return perExample.sumNumber().doubleValue();
    }
}
