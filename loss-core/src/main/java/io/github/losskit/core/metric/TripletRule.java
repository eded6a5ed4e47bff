package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The per-triplet part of a triplet loss, applied to mined distances of any (broadcast-compatible) shapes:
 * z = d(a,p) - d'(a,n) (+ margin for the hinge), where d'(a,n) = min(d(a,n), d(p,n)) with swap, and the loss is
 * max(0, z) or softplus(z).
 */
record TripletRule(double margin, TripletPenalty penalty, boolean swap) {

    /**
     * All arrays are read-only (some share storage).
     *
     * @param values   losses (0 outside {@code valid}), or null when the score is not needed
     * @param slopes   d loss / dz (0 outside {@code valid}), or null when the gradient is not needed
     * @param swapped  1 where d(p,n) replaced d(a,n) (so its sensitivity goes to d(p,n)), or null without swap
     * @param active   1 for valid triplets with positive loss (every valid one for the soft margin)
     */
    record Terms(INDArray values, INDArray slopes, INDArray swapped, INDArray active) {

        /** The sensitivity of d(a,n): -slope where d(a,n) was used. */
        INDArray anchorNegativeSensitivities() {
            return swapped == null ? slopes.neg() : slopes.mul(swapped.rsub(1.0)).negi();
        }

        /** The sensitivity of d(p,n): -slope where swap used it. */
        INDArray positiveNegativeSensitivities() {
            return slopes.mul(swapped).negi();
        }
    }

    /**
     * @param positiveToNegative d(p,n), required with swap, ignored without
     * @param valid              0/1 of the result's shape (or broadcastable to it)
     */
    Terms terms(INDArray anchorToPositive, INDArray anchorToNegative, INDArray positiveToNegative, INDArray valid,
            Need need) {
        INDArray negativeDistance = anchorToNegative;
        INDArray swapped = null;
        if (swap) {
            negativeDistance = Nd4j.math().min(anchorToNegative, positiveToNegative);
            // ND4J's array-array comparisons do not broadcast but its arithmetic does: compare a difference with 0
            swapped = positiveToNegative.sub(anchorToNegative).lt(0.0).castTo(anchorToPositive.dataType());
        }
        INDArray z = anchorToPositive.sub(negativeDistance);
        if (penalty == TripletPenalty.HINGE) {
            z.addi(margin);
        }
        if (swapped != null && !Arrays.equals(swapped.shape(), z.shape())) {
            swapped = swapped.broadcast(z.shape());
        }
        INDArray validFull = Arrays.equals(valid.shape(), z.shape()) ? valid : valid.broadcast(z.shape());
        // z is this method's own array: the last use of it may overwrite it (the mined tensors are large)
        INDArray values = null;
        INDArray slopes = null;
        INDArray active;
        if (penalty == TripletPenalty.HINGE) {
            active = z.gt(0.0).castTo(z.dataType()).muli(validFull);
            slopes = need.gradient() ? active : null;
            values = need.score() ? Transforms.relu(z, false).muli(validFull) : null;
        } else {
            active = validFull;
            // softplus(z) = max(z, 0) + log1p(exp(-|z|)): no overflow for large distance gaps
            values = need.score() ? StableMath.softplus(z).muli(validFull) : null;
            slopes = need.gradient() ? Transforms.sigmoid(z, false).muli(validFull) : null;
        }
        return new Terms(values, slopes, swapped, active);
    }
}
