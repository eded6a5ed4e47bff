package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.dl4j.testing.LabelKind;
import io.github.losskit.dl4j.testing.LossCase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** Special cases of the regression, margin and divergence losses. */
class RegressionAndMarginCasesTest {

    private static final ActivationIdentity IDENTITY = new ActivationIdentity();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private final INDArray labels = LabelKind.REAL.generate(6, 3, 1, DataType.DOUBLE);
    private final INDArray predictions = LossCase.gaussian(6, 3, 2, 3.0, DataType.DOUBLE);

    @Test
    void huberWithAHugeDeltaIsHalfTheSquaredError() {
        INDArray residual = predictions.sub(labels);
        double halfSquared = residual.mul(residual).sumNumber().doubleValue() / 2;
        assertEquals(halfSquared, new LossHuber(1e6).computeScore(labels, predictions, IDENTITY, null, false),
                1e-12 * halfSquared);
        assertClose("gradient", residual, new LossHuber(1e6).computeGradient(labels, predictions, IDENTITY, null),
                1e-12, 1e-12);
        // DL4J's LossMSE averages over outputs: sum of squares / outputs
        double mse = new LossMSE().computeScore(labels, predictions, IDENTITY, null, false);
        assertEquals(mse * 3 / 2, halfSquared, 1e-12 * halfSquared);
    }

    @Test
    void smoothL1IsHuberDividedByBeta() {
        for (double beta : new double[] {0.1, 1, 4}) {
            double huber = new LossHuber(beta).computeScore(labels, predictions, IDENTITY, null, false);
            double smooth = new LossSmoothL1(beta).computeScore(labels, predictions, IDENTITY, null, false);
            assertEquals(huber / beta, smooth, 1e-12 * smooth);
            assertClose("gradient",
                    new LossHuber(beta).computeGradient(labels, predictions, IDENTITY, null).divi(beta),
                    new LossSmoothL1(beta).computeGradient(labels, predictions, IDENTITY, null), 1e-12, 1e-12);
        }
    }

    @Test
    void logCoshIsFiniteAndLinearFarFromTheTarget() {
        INDArray target = Nd4j.zeros(1, 3);
        INDArray far = Nd4j.createFromArray(new double[][] {{750, -1e4, 1e6}});
        INDArray perExample = new LossLogCosh().computeScoreArray(target, far, IDENTITY, null);
        assertEquals(750 + 1e4 + 1e6 - 3 * Math.log(2), perExample.getDouble(0), 1e-9);
        assertClose("slope", Nd4j.createFromArray(new double[][] {{1, -1, 1}}),
                new LossLogCosh().computeGradient(target, far, IDENTITY, null), 0, 0);
        INDArray floats = far.castTo(DataType.FLOAT);
        assertFinite("float", new LossLogCosh().computeScoreArray(target.castTo(DataType.FLOAT), floats, IDENTITY,
                null));
    }

    @Test
    void exponentialMarginLossOverflowsOnlyWhereItsValueIsNotRepresentable() {
        LossMargin exponential = new LossMargin(MarginFunction.EXPONENTIAL);
        INDArray y = Nd4j.createFromArray(new double[][] {{1, -1}});
        INDArray representable = Nd4j.createFromArray(new double[][] {{-700, 700}});
        assertFinite("double at z = -700", exponential.computeGradient(y, representable, IDENTITY, null));
        assertEquals(2 * Math.exp(700), exponential.computeScore(y, representable, IDENTITY, null, false),
                1e-12 * Math.exp(700));
        INDArray beyond = Nd4j.createFromArray(new double[][] {{-800, 0}});
        assertEquals(Double.POSITIVE_INFINITY, exponential.computeScore(y, beyond, IDENTITY, null, false));
    }

    @Test
    void marginLossesNeedSignedLabelsUnlessToldOtherwise() {
        INDArray zeroOne = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}});
        INDArray scores = Nd4j.createFromArray(new double[][] {{-0.3, 2}, {0.4, -1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossMargin().computeScore(zeroOne, scores, IDENTITY, null, false));
        assertTrue(e.getMessage().contains("MarginLabels.ZERO_ONE"), e.getMessage());
        LossMargin zeroOneHinge = LossMargin.builder().labels(MarginLabels.ZERO_ONE).build();
        INDArray signed = zeroOne.mul(2).subi(1);
        assertEquals(new LossMargin().computeScore(signed, scores, IDENTITY, null, false),
                zeroOneHinge.computeScore(zeroOne, scores, IDENTITY, null, false), 1e-15);
        assertClose("gradient", new LossMargin().computeGradient(signed, scores, IDENTITY, null),
                zeroOneHinge.computeGradient(zeroOne, scores, IDENTITY, null), 0, 0);
    }

    @Test
    void klDivergenceIsCrossEntropyMinusTheTargetEntropyAndZeroAtTheTarget() {
        INDArray targets = Nd4j.createFromArray(new double[][] {{0.2, 0.8, 0.0}, {0.5, 0.25, 0.25}});
        INDArray logits = LossCase.gaussian(2, 3, 5, 2.0, DataType.DOUBLE);
        ActivationSoftmax softmax = new ActivationSoftmax();
        double entropy = -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8) + 0.5 * Math.log(0.5) + 0.5 * Math.log(0.25));
        double ce = new LossCrossEntropy().computeScore(targets, logits, softmax, null, false);
        assertEquals(ce - entropy, new LossKLDivergence().computeScore(targets, logits, softmax, null, false), 1e-12);
        assertClose("gradient", new LossCrossEntropy().computeGradient(targets, logits, softmax, null),
                new LossKLDivergence().computeGradient(targets, logits, softmax, null), 1e-15, 1e-15);
        INDArray exact = Nd4j.createFromArray(new double[][] {{Math.log(0.5), Math.log(0.5)}});
        INDArray half = Nd4j.createFromArray(new double[][] {{0.5, 0.5}});
        assertEquals(0.0, new LossKLDivergence().computeScore(half, exact, softmax, null, false), 1e-15);
        assertEquals(0.0, new LossKLDivergence(TargetSpace.LOG_PROBABILITIES).computeScore(exact, exact, softmax,
                null, false), 1e-15);
    }

    @Test
    void logSpaceTargetsAcceptMinusInfinityForZeroProbabilities() {
        INDArray logTargets = Nd4j.createFromArray(new double[][] {{Double.NEGATIVE_INFINITY, 0.0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{1.0, 2.0}});
        double expected = -Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2)));
        assertEquals(expected, new LossKLDivergence(TargetSpace.LOG_PROBABILITIES).computeScore(logTargets, logits,
                new ActivationSoftmax(), null, false), 1e-12);
    }

    @Test
    void regressionParametersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LossHuber(0));
        assertThrows(IllegalArgumentException.class, () -> new LossHuber(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LossSmoothL1(-1));
        assertThrows(IllegalArgumentException.class, () -> new LossLogCosh(new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> LossMargin.builder().function(null).build());
        assertThrows(IllegalArgumentException.class, () -> LossMargin.builder().weights(-1).build());
        assertThrows(IllegalArgumentException.class, () -> new LossKLDivergence(null));
    }
}
