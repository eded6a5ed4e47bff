package io.github.losskit.samediff;

import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The one place where the SameDiff builders apply weights and reductions, with the meaning of SameDiff's own
 * loss ops ({@code sd.loss()}): weights multiply the per-element output and are broadcast against it;
 * {@link LossReduce#MEAN_BY_WEIGHT} divides the weighted sum by the sum of the broadcast weights and
 * {@link LossReduce#MEAN_BY_NONZERO_WEIGHT_COUNT} by the number of non-zero broadcast weights. Where that
 * divisor is 0 (every weight 0) the loss is 0, as in libnd4j, and its gradient is finite.
 */
final class LossReduction {

    private LossReduction() {
    }

    /**
     * @param name       the name of the returned variable, or {@code null} for a generated one
     * @param perElement the unweighted loss, one value per example or per element
     * @param weights    weights broadcastable to {@code perElement} in its data type, or {@code null} (all 1)
     * @return the reduced loss, named and marked as a loss of the graph
     */
    static SDVariable apply(SameDiff sd, String name, SDVariable perElement, SDVariable weights, LossReduce reduce) {
        SDVariable weighted = weights == null ? perElement : perElement.mul(weights);
        SDVariable reduced = switch (reduce) {
            case NONE -> withFullShapeGradient(sd, weighted);
            case SUM -> weighted.sum();
            // with unit weights both means are the plain mean over all elements
            case MEAN_BY_WEIGHT -> weights == null ? weighted.mean()
                    : sumOverDivisorOrZero(weighted.sum(), broadcast(sd, weights, perElement).sum());
            case MEAN_BY_NONZERO_WEIGHT_COUNT -> weights == null ? weighted.mean()
                    : sumOverDivisorOrZero(weighted.sum(), nonZeroCount(sd, weights, perElement));
        };
        return asLoss(sd, name, reduced);
    }

    /** {@code loss} under {@code name} ({@code null}: its generated name), marked as a loss of the graph. */
    static SDVariable asLoss(SameDiff sd, String name, SDVariable loss) {
        SDVariable named = name == null ? loss : sd.updateVariableNameAndReference(loss, name);
        named.markAsLoss();
        return named;
    }

    /**
     * {@code perElement} unchanged in value, times ones of its own shape. SameDiff starts backpropagation at
     * every loss variable from a scalar 1, also for a non-scalar loss, and reduce_sum_bp or a broadcasting
     * multiply_bp then fail on that scalar ("bad input shape"). The gradient of this product with respect to
     * {@code perElement} is the ones, full-shaped, so the graph below sees the gradient of the sum.
     */
    private static SDVariable withFullShapeGradient(SameDiff sd, SDVariable perElement) {
        return perElement.mul(ones(sd, perElement));
    }

    /** The weights repeated to the shape of the per-element output, so that a [1, n] row counts mb times. */
    private static SDVariable broadcast(SameDiff sd, SDVariable weights, SDVariable perElement) {
        return ones(sd, perElement).mul(weights);
    }

    /** Ones of the shape of {@code like}; sd.onesLike works too but logs a warning for every graph. */
    private static SDVariable ones(SameDiff sd, SDVariable like) {
        return sd.zerosLike(like).add(1.0);
    }

    private static SDVariable nonZeroCount(SameDiff sd, SDVariable weights, SDVariable perElement) {
        return broadcast(sd, weights, perElement).neq(0.0).castTo(perElement.dataType()).sum();
    }

    /**
     * total / divisor, or 0 where the divisor is 0. The divisor is replaced by 1 there instead of dividing
     * by 0 and selecting afterwards, because the gradient of a division by 0 is NaN even where the quotient
     * is not used.
     */
    private static SDVariable sumOverDivisorOrZero(SDVariable total, SDVariable divisor) {
        SDVariable divisorIsZero = divisor.eq(0.0).castTo(divisor.dataType());
        return total.mul(divisorIsZero.rsub(1.0)).div(divisor.add(divisorIsZero));
    }
}
