package io.github.losskit.core.metric;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.RowSoftmax;
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
    private UnitRows unitA;
    private UnitRows unitB;

    RowDistances(Distance distance, INDArray a, INDArray b) {
        this.distance = distance;
        if (distance == Distance.COSINE) {
            unitA = UnitRows.of(a);
            unitB = UnitRows.of(b);
            values = RowSoftmax.rowDot(unitA.units(), unitB.units()).rsubi(1.0);
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
                INDArray da = unitA.cosineGradient(unitB, cos, sensitivities);
                INDArray db = unitB.cosineGradient(unitA, cos, sensitivities);
                yield new INDArray[] {da, db};
            }
        };
    }
}
