package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.dl4j.testing.LossCase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A user's {@link ElementwiseLossFunction} that hands its prediction back as the derivative (l = a^2 / 2,
 * weighted per output): the base class weighs terms in place and, under the identity activation, passes the
 * caller's pre-activations straight to the loss, so it must copy rather than write into them.
 */
class CustomElementwiseLossTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static final class HalfSquare extends ElementwiseLossFunction {

        @Override
        protected ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
            return new ElementwiseTerms(need.score() ? predictions.mul(predictions).muli(0.5) : null,
                    need.gradient() ? predictions : null);
        }

        @Override
        protected INDArray outputWeights(INDArray like) {
            return Nd4j.createFromArray(1.0, 2.0, 3.0).castTo(like.dataType()).reshape(1, 3);
        }
    }

    private static final INDArray WEIGHTS = Nd4j.createFromArray(1.0, 2.0, 3.0).reshape(1, 3);

    @Test
    void identityActivationLeavesThePreOutputUntouched() {
        INDArray preOutput = LossCase.gaussian(4, 3, 7, 2.0, DataType.DOUBLE);
        INDArray original = preOutput.dup();
        Pair<Double, INDArray> result = new HalfSquare().computeGradientAndScore(Nd4j.zeros(4, 3), preOutput,
                new ActivationIdentity(), null, false);
        assertEquals(original, preOutput);
        assertNotSame(preOutput, result.getSecond());
        assertClose("gradient", original.mulRowVector(WEIGHTS), result.getSecond(), 1e-15, 1e-15);
        double expected = original.mul(original).muli(0.5).mulRowVector(WEIGHTS).sumNumber().doubleValue();
        assertEquals(expected, result.getFirst(), 1e-12 * expected);
        // the gradient-only path as well
        INDArray gradient = new HalfSquare().computeGradient(Nd4j.zeros(4, 3), preOutput, new ActivationIdentity(),
                null);
        assertEquals(original, preOutput);
        assertNotSame(preOutput, gradient);
    }

    @Test
    void otherActivationsGetTheChainRule() {
        INDArray preOutput = LossCase.gaussian(4, 3, 8, 2.0, DataType.DOUBLE);
        INDArray original = preOutput.dup();
        INDArray gradient = new HalfSquare().computeGradient(Nd4j.zeros(4, 3), preOutput, new ActivationSigmoid(),
                null);
        INDArray a = Transforms.sigmoid(original, true);
        // d/dz of w a^2 / 2 with a = sigmoid(z): w a a (1 - a)
        INDArray expected = a.mul(a).muli(a.rsub(1.0)).mulRowVector(WEIGHTS);
        assertEquals(original, preOutput);
        assertClose("gradient", expected, gradient, 1e-14, 1e-14);
    }
}
