package io.github.losskit.core.metric;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The distances [n, 1] between row i of a and row i of b, computed from the differences a - b, and the
 * gradient of any weighted sum of them. See {@link Distance} for the gradient at zero distance.
 */
public final class RowDistances {

    private final Distance distance;
    private final INDArray values;
    private INDArray difference;
    private INDArray unitA;
    private INDArray unitB;
    private INDArray normsA;
    private INDArray normsB;
    private INDArray nonZeroA;
    private INDArray nonZeroB;

    RowDistances(Distance distance, INDArray a, INDArray b) {
        this.distance = distance;
        if (distance == Distance.COSINE) {
            INDArray rawA = Transforms.sqrt(a.mul(a).sum(true, 1), false);
            INDArray rawB = Transforms.sqrt(b.mul(b).sum(true, 1), false);
            double floor = StableMath.smallestNormal(a.dataType());
            nonZeroA = rawA.gt(0.0).castTo(a.dataType());
            nonZeroB = rawB.gt(0.0).castTo(b.dataType());
            normsA = Transforms.max(rawA, floor, false);
            normsB = Transforms.max(rawB, floor, false);
            unitA = Broadcast.mul(a, nonZeroA.div(normsA), null);
            unitB = Broadcast.mul(b, nonZeroB.div(normsB), null);
            values = unitA.mul(unitB).sum(true, 1).rsubi(1.0);
        } else {
            difference = a.sub(b);
            INDArray squared = difference.mul(difference).sum(true, 1);
            values = distance == Distance.SQUARED_EUCLIDEAN ? squared : Transforms.sqrt(squared, false);
        }
    }

    /** The [n, 1] distances. Callers must not modify it. */
    public INDArray values() {
        return values;
    }

    /**
     * The gradients with respect to a and b of sum_i w_i d_i for sensitivities w [n, 1]; {@code sensitivities}
     * is not modified.
     *
     * @return {gradient for a, gradient for b}
     */
    public INDArray[] backward(INDArray sensitivities) {
        return switch (distance) {
            case SQUARED_EUCLIDEAN -> {
                INDArray da = Broadcast.mul(difference, sensitivities.mul(2.0), null);
                yield new INDArray[] {da, da.neg()};
            }
            case EUCLIDEAN -> {
                // d|a - b| / da = (a - b) / |a - b|, and 0 where the distance is 0 (the floor avoids 0 / 0)
                INDArray scale = sensitivities.mul(values.gt(0.0).castTo(values.dataType())).divi(
                        Transforms.max(values, StableMath.smallestNormal(values.dataType()), true));
                INDArray da = Broadcast.mul(difference, scale, null);
                yield new INDArray[] {da, da.neg()};
            }
            case COSINE -> {
                INDArray cos = values.rsub(1.0);
                // d(-u.v)/da = -(v - u (u.v)) / |a|, and symmetrically for b
                INDArray da = Broadcast.mul(StableMath.addScaledInPlace(Broadcast.mul(unitA, cos, null), -1.0, unitB),
                        sensitivities.mul(nonZeroA).divi(normsA), null);
                INDArray db = Broadcast.mul(StableMath.addScaledInPlace(Broadcast.mul(unitB, cos, null), -1.0, unitA),
                        sensitivities.mul(nonZeroB).divi(normsB), null);
                yield new INDArray[] {da, db};
            }
        };
    }
}
