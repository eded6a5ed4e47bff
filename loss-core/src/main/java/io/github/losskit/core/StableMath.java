package io.github.losskit.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Numerically stable building blocks on ND4J arrays. Every function returns a new array and leaves its
 * argument unchanged unless its name ends in {@code InPlace}.
 */
public final class StableMath {

    private StableMath() {
    }

    /**
     * softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|). ND4J's own softplus evaluates log(1 + e^x)
     * literally and overflows to infinity from x = 710 (double) or 89 (float); this form never overflows.
     * ND4J's log1p is log(1 + u), so the tail is lost below u ~ 1e-16: softplus(-40) comes out 0 instead of
     * 4e-18, an absolute error below 1e-16.
     */
    public static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.abs(x, true).negi();
        Transforms.exp(tail, false);
        Transforms.log1p(tail, false);
        return tail.addi(Transforms.relu(x, true));
    }

    /**
     * softplus(x) from x and p = sigmoid(x), with one logarithm instead of the exp and log1p of
     * {@link #softplus}: softplus(x) = max(x, 0) - log sigmoid(|x|), and sigmoid(|x|) = max(p, 1 - p) lies in
     * [1/2, 1], where 1 - p does not cancel and the logarithm cannot overflow. The absolute error is that of
     * {@link #softplus}: the tail below the rounding of one is lost.
     */
    public static INDArray softplusFromSigmoid(INDArray x, INDArray p) {
        return softplusFromSigmoid(x, p, p.rsub(1.0));
    }

    /** As {@link #softplusFromSigmoid(INDArray, INDArray)}, given 1 - p as well; none is modified. */
    public static INDArray softplusFromSigmoid(INDArray x, INDArray p, INDArray oneMinusP) {
        INDArray sigmoidOfAbs = Transforms.max(oneMinusP, p, true);
        return addScaledInPlace(Transforms.relu(x, true), -1.0, Transforms.log(sigmoidOfAbs, false));
    }

    /**
     * y += alpha x, in place, in one pass: ND4J's legacy {@code Axpy}, cheaper than the broadcasting custom ops
     * behind {@code addi} and {@code subi} (most of all on small arrays, where op overhead dominates).
     * Same shapes only. Returns y.
     */
    public static INDArray addScaledInPlace(INDArray y, double alpha, INDArray x) {
        return addScaled(y, alpha, x, y);
    }

    /** y + alpha x as a new array, in one pass (see {@link #addScaledInPlace}); neither argument is modified. */
    public static INDArray addScaled(INDArray y, double alpha, INDArray x) {
        return addScaled(y, alpha, x, y.ulike());
    }

    /**
     * y + alpha x written to {@code out}, a spent array of the same shape (which may be x or y), in one pass;
     * returns {@code out}. Reusing an array saves creating one, which costs more than the pass at small sizes.
     */
    public static INDArray addScaled(INDArray y, double alpha, INDArray x, INDArray out) {
        Nd4j.exec(new Axpy(x, y, out, alpha));
        return out;
    }

    /**
     * x^gamma for x >= 0. Small integer exponents are multiplications, which are exact at x = 0 and much
     * faster than ND4J's pow.
     */
    public static INDArray power(INDArray x, double gamma) {
        if (gamma == 1) {
            return x.dup();
        }
        if (gamma == Math.rint(gamma) && gamma >= 2 && gamma <= 4) {
            INDArray result = x.mul(x);
            for (int i = 2; i < gamma; i++) {
                result.muli(x);
            }
            return result;
        }
        return Transforms.pow(x, gamma, true);
    }

    /**
     * y log y with the limit 0 log 0 = 0, given y and its logarithm (either may be derived from the other
     * by the caller, so that log-space inputs keep their precision).
     */
    public static INDArray xLogX(INDArray y, INDArray logY) {
        INDArray product = y.mul(logY);
        // where y == 0, log y is -inf (or a huge negative number) and the product NaN or -0: both become 0
        INDArray zeros = Nd4j.zeros(product.dataType(), product.shape());
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.controlflow.Select(
                new INDArray[] {y.gt(0.0), product, zeros}, new INDArray[] {zeros}));
        return zeros;
    }

    /** The smallest positive normal number of a floating-point type: a divisor floor that only 0/0 reaches. */
    public static double smallestNormal(DataType type) {
        return switch (type) {
            case DOUBLE -> Double.MIN_NORMAL;
            case HALF -> 6.103515625e-5;
            case BFLOAT16 -> Float.MIN_NORMAL;
            default -> Float.MIN_NORMAL;
        };
    }

    /** A row vector [1, n] of the given values in the data type of {@code like}. */
    public static INDArray row(double[] values, INDArray like) {
        return Nd4j.createFromArray(values).castTo(like.dataType()).reshape(1, values.length);
    }
}
