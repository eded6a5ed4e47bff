package io.github.losskit.core.metric;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.RowSoftmax;
import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Rows x scaled to unit length, u = x / |x|, for the cosine distance, with the per-row factor 1 / |x| that the
 * chain rule through u needs. A row whose norm is 0 (or whose squared norm underflowed to 0 although some
 * element is not 0) gets the factor 0: it stays a zero row and receives no gradient.
 *
 * @param units        u [n, d]
 * @param inverseNorms 1 / |x| per row [n, 1], 0 for zero rows
 */
record UnitRows(INDArray units, INDArray inverseNorms) {

    static UnitRows of(INDArray x) {
        INDArray rawNorms = Transforms.sqrt(RowSoftmax.rowDot(x, x), false);
        INDArray nonZero = rawNorms.gt(0.0).castTo(rawNorms.dataType());
        // the floor only keeps 0 / 0 out of the factor; the 0/1 column zeroes those rows
        INDArray norms = Transforms.max(rawNorms, StableMath.smallestNormal(rawNorms.dataType()), false);
        INDArray inverseNorms = nonZero.divi(norms);
        return new UnitRows(Broadcast.mul(x, inverseNorms, null), inverseNorms);
    }

    /**
     * d(-u.v)/dx = -(v - u (u.v)) / |x| per row, times {@code sensitivities} [n, 1], for these rows' u and the
     * other rows' v, given cos = u.v [n, 1].
     */
    INDArray cosineGradient(UnitRows other, INDArray cos, INDArray sensitivities) {
        INDArray along = Broadcast.mul(units, cos, null);
        return Broadcast.mul(StableMath.addScaledInPlace(along, -1.0, other.units), sensitivities.mul(inverseNorms),
                null);
    }

    /** From dL/du to dL/dx: the part of dL/du tangential to u, divided by |x|. Overwrites {@code dUnit}. */
    INDArray projectGradient(INDArray dUnit) {
        INDArray radial = RowSoftmax.rowDot(units, dUnit);
        INDArray tangential = StableMath.addScaledInPlace(dUnit, -1.0, Broadcast.mul(units, radial, null));
        return Broadcast.mul(tangential, inverseNorms, null);
    }
}
