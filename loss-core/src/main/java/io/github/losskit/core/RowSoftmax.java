package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The row-wise pieces of a softmax that the one-hot fast paths share: z - max(z) (read before it is
 * exponentiated, for the target's logit), then exp of it in place, its row sums s, and log s, so that
 * log p_c = (z_c - max) - log s and p = exp / s without a full-width division.
 */
public final class RowSoftmax {

    private final INDArray shifted;
    private INDArray sumExp;
    private INDArray logSumExp;

    private RowSoftmax(INDArray shifted) {
        this.shifted = shifted;
    }

    /** Starts from z - max(z), so that exp cannot overflow; {@code logits} is not modified. */
    public static RowSoftmax shift(INDArray logits) {
        return new RowSoftmax(logits.subColumnVector(logits.max(true, 1)));
    }

    /** sum_c a_c b_c per row, [minibatch, 1], in one pass over both (a reduce3 dot along dimension 1). */
    public static INDArray rowDot(INDArray a, INDArray b) {
        INDArray out = Nd4j.create(a.dataType(), a.size(0));
        Nd4j.exec(new Dot(a, b, out, 1));
        return out.reshape(a.size(0), 1);
    }

    /** The shifted logits; only meaningful before {@link #exponentiate()}. */
    public INDArray shifted() {
        return shifted;
    }

    /** Overwrites the shifted logits with their exponentials and computes the row sums and their logs. */
    public RowSoftmax exponentiate() {
        Transforms.exp(shifted, false);
        sumExp = shifted.sum(true, 1);
        logSumExp = Transforms.log(sumExp, true);
        return this;
    }

    /** exp(z - max), after {@link #exponentiate()}; p = exp / sumExp. */
    public INDArray exp() {
        return shifted;
    }

    public INDArray sumExp() {
        return sumExp;
    }

    public INDArray logSumExp() {
        return logSumExp;
    }
}
