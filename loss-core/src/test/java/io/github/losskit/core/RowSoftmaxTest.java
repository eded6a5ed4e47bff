package io.github.losskit.core;

import static io.github.losskit.testing.Approx.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The softmax pieces agree with the textbook shifted computation in double, whichever route (unshifted
 * exponentials or the row-maximum shift) the scale of the logits selects, also in float.
 */
class RowSoftmaxTest {

    /** log p and p computed in double with the row-maximum shift, the reference. */
    private static INDArray[] reference(INDArray logits) {
        INDArray z = logits.castTo(DataType.DOUBLE);
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray exp = org.nd4j.linalg.ops.transforms.Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray logP = shifted.subColumnVector(org.nd4j.linalg.ops.transforms.Transforms.log(sum, true));
        return new INDArray[] {logP, exp.divColumnVector(sum)};
    }

    // 0.5 and 3 stay within the unshifted bound, 6 crosses it for float and half, 40 and 1e4 need the shift
    @ParameterizedTest(name = "logit scale {0}")
    @ValueSource(doubles = {0.5, 3, 6, 40, 1e4})
    void agreesWithTheShiftedSoftmax(double scale) {
        Nd4j.getRandom().setSeed(7);
        INDArray logits = Nd4j.randn(DataType.DOUBLE, 16, 50).muli(scale);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray z = logits.castTo(type);
            INDArray[] expected = reference(z);
            RowSoftmax softmax = RowSoftmax.of(z);
            INDArray logP = z.castTo(DataType.DOUBLE).subColumnVector(softmax.logNormalizer().castTo(DataType.DOUBLE));
            double relative = type == DataType.DOUBLE ? 1e-12 : 2e-6;
            // log p is compared absolutely, at the precision of the logits' scale
            double absolute = (type == DataType.DOUBLE ? 1e-13 : 1e-5) * Math.max(1, scale);
            assertClose(type + " log p", expected[0], logP, relative, absolute);
            INDArray p = softmax.exp().divColumnVector(softmax.sumExp());
            assertClose(type + " p", expected[1], p.castTo(DataType.DOUBLE), relative * 10, relative);
        }
    }
}
