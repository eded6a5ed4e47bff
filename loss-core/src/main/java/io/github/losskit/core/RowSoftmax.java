package io.github.losskit.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The row-wise pieces of a softmax that the one-hot fast paths share: e = exp(z - shift), its row sums s and
 * the log-normalizer n = shift + log s, so that log p_c = z_c - n and p = e / s without a full-width
 * logarithm.
 *
 * <p>The usual shift is the row maximum, which costs a reduction and a subtraction over the whole input. It
 * only matters when exp(z) could overflow or its row sum underflow, and both show in log s, a per-row
 * value: {@link #of} exponentiates the logits unshifted and takes the shifted route only for a batch where
 * some |log s| exceeds a bound. Within the bound z_c - log s loses at most a few units in the
 * last place against z_c - max - log s', because both operands are small.
 */
public final class RowSoftmax {

    private final INDArray exp;
    private final INDArray sumExp;
    private final INDArray logNormalizer;

    private RowSoftmax(INDArray exp, INDArray sumExp, INDArray logNormalizer) {
        this.exp = exp;
        this.sumExp = sumExp;
        this.logNormalizer = logNormalizer;
    }

    /** The softmax pieces of {@code logits} [minibatch, classes]; {@code logits} is not modified. */
    public static RowSoftmax of(INDArray logits) {
        INDArray exp = Transforms.exp(logits, true);
        INDArray sumExp = exp.sum(true, 1);
        INDArray logSumExp = Transforms.log(sumExp, true);
        // amax skips NaN; NaN logits give NaN on either route
        if (logSumExp.amaxNumber().doubleValue() <= unshiftedBound(logits.dataType())) {
            return new RowSoftmax(exp, sumExp, logSumExp);
        }
        // shifting by the row maximum makes every exponent <= 0, so exp cannot overflow, and the row sum >= 1
        INDArray rowMax = logits.max(true, 1);
        INDArray shiftedExp = Transforms.exp(Broadcast.sub(logits, rowMax, null), false);
        INDArray shiftedSum = shiftedExp.sum(true, 1);
        return new RowSoftmax(shiftedExp, shiftedSum, Transforms.log(shiftedSum, true).addi(rowMax));
    }

    /**
     * Largest |log sum exp(z)| for which the unshifted exponentials are safe: the row sum stays a normal
     * number far from overflow, and z_c - log s cancels at most log2(bound) bits more than the shifted form.
     */
    private static double unshiftedBound(DataType type) {
        return type == DataType.HALF || type == DataType.BFLOAT16 ? 8.0 : 16.0;
    }

    /** sum_c a_c b_c per row, [minibatch, 1], in one pass over both (a reduce3 dot along dimension 1). */
    public static INDArray rowDot(INDArray a, INDArray b) {
        // written straight into the column: a vector reshaped afterwards costs one more array (a view)
        INDArray out = Nd4j.create(a.dataType(), a.size(0), 1);
        Nd4j.exec(new Dot(a, b, out, 1));
        return out;
    }

    /** exp(z - shift); p = exp / sumExp. A private array the caller may overwrite. */
    public INDArray exp() {
        return exp;
    }

    /** sum_c exp(z_c - shift) per row [minibatch, 1]. A private array the caller may overwrite. */
    public INDArray sumExp() {
        return sumExp;
    }

    /**
     * log sum_c exp(z_c) per row [minibatch, 1]: log p_c = z_c - logNormalizer. A private array the caller may
     * overwrite.
     */
    public INDArray logNormalizer() {
        return logNormalizer;
    }

    /**
     * (p - y) g per row, written over {@link #exp()}: the gradient with respect to the logits of a loss whose
     * derivative with respect to log p_t is -g for one-hot y. Three passes and one temporary (see
     * {@link Broadcast} for why not in place).
     */
    public INDArray oneHotGradientInPlace(INDArray oneHotLabels, INDArray rowFactors) {
        INDArray probabilities = Broadcast.div(exp, sumExp, null);
        return Broadcast.mul(StableMath.addScaledInPlace(probabilities, -1.0, oneHotLabels), rowFactors, exp);
    }
}
