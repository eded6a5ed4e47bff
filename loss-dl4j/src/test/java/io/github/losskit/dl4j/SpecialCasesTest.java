package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.dl4j.testing.LabelKind;
import io.github.losskit.dl4j.testing.LossCase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Parameter values at which one loss becomes another, and agreement with DL4J's built-ins where they overlap. */
class SpecialCasesTest {

    private static final double TIGHT = 1e-12;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static void assertSameLoss(ILossFunction expected, ILossFunction actual, IActivation activation,
            INDArray labels, INDArray preOutput, double scale, double tolerance) {
        // dups: DL4J's LossBinaryXENT.computeGradient overwrites preOutput with sigmoid(preOutput)
        Pair<Double, INDArray> e = expected.computeGradientAndScore(labels.dup(), preOutput.dup(), activation, null,
                false);
        Pair<Double, INDArray> a = actual.computeGradientAndScore(labels.dup(), preOutput.dup(), activation, null,
                false);
        assertEquals(scale * e.getFirst(), a.getFirst(), tolerance * Math.abs(e.getFirst()));
        assertClose("gradient", e.getSecond().mul(scale), a.getSecond(), tolerance, tolerance);
    }

    @Test
    void softmaxFocalWithGammaZeroIsAlphaWeightedCrossEntropy() {
        INDArray labels = LabelKind.SOFT.generate(8, 5, 1, DataType.DOUBLE);
        INDArray logits = LossCase.gaussian(8, 5, 2, 3.0, DataType.DOUBLE);
        ActivationSoftmax softmax = new ActivationSoftmax();
        assertSameLoss(new LossCrossEntropy(), LossFocal.builder().gamma(0).noAlpha().build(), softmax, labels, logits,
                1.0, TIGHT);
        assertSameLoss(new LossCrossEntropy(), LossFocal.builder().gamma(0).alpha(0.25).build(), softmax, labels,
                logits, 0.25, TIGHT);
        assertSameLoss(LossCrossEntropy.builder().weights(0.5, 1, 2, 3, 0.25).build(),
                LossFocal.builder().gamma(0).alpha(0.5, 1, 2, 3, 0.25).build(), softmax, labels, logits, 1.0, TIGHT);
    }

    @Test
    void sigmoidFocalWithGammaZeroAndNoAlphaIsBinaryCrossEntropy() {
        INDArray labels = LabelKind.SOFT_BINARY.generate(8, 4, 3, DataType.DOUBLE);
        INDArray logits = LossCase.gaussian(8, 4, 4, 3.0, DataType.DOUBLE);
        assertSameLoss(new LossBinaryCrossEntropy(), LossFocal.builder().gamma(0).noAlpha().build(),
                new ActivationSigmoid(), labels, logits, 1.0, TIGHT);
    }

    @Test
    void focalDownWeightsWellClassifiedExamples() {
        // one confident correct row, one uncertain row: gamma 2 shrinks the first far more than the second
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{4, -4}, {0.2, 0}});
        ActivationSoftmax softmax = new ActivationSoftmax();
        INDArray ce = new LossCrossEntropy().computeScoreArray(labels, logits, softmax, null);
        INDArray focal = LossFocal.builder().gamma(2).noAlpha().build().computeScoreArray(labels, logits, softmax,
                null);
        double p0 = 1 / (1 + Math.exp(-8));
        double p1 = 1 / (1 + Math.exp(-0.2));
        assertEquals(Math.pow(1 - p0, 2), focal.getDouble(0) / ce.getDouble(0), 1e-12);
        assertEquals(Math.pow(1 - p1, 2), focal.getDouble(1) / ce.getDouble(1), 1e-12);
    }

    @Test
    void zeroSmoothingAndUnitWeightsAreThePlainLosses() {
        INDArray labels = LabelKind.ONE_HOT.generate(6, 3, 5, DataType.DOUBLE);
        INDArray logits = LossCase.gaussian(6, 3, 6, 2.0, DataType.DOUBLE);
        assertSameLoss(new LossCrossEntropy(), LossCrossEntropy.builder().labelSmoothing(0).weights(1, 1, 1).build(),
                new ActivationSoftmax(), labels, logits, 1.0, TIGHT);
        assertSameLoss(new LossBinaryCrossEntropy(),
                LossBinaryCrossEntropy.builder().posWeight(1).weights(1, 1, 1).labelSmoothing(0).build(),
                new ActivationSigmoid(), labels, logits, 1.0, TIGHT);
    }

    @Test
    void labelSmoothingMovesTheTarget() {
        // smoothed one-hot over K = 4: 1 - eps + eps/4 on the target, eps/4 elsewhere
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{0.3, -1.2, 2.0, 0.1}});
        double eps = 0.2;
        INDArray smoothed = Nd4j.createFromArray(new double[][] {{eps / 4, 1 - eps + eps / 4, eps / 4, eps / 4}});
        ActivationSoftmax softmax = new ActivationSoftmax();
        assertEquals(new LossCrossEntropy().computeScore(smoothed, logits, softmax, null, false),
                LossCrossEntropy.builder().labelSmoothing(eps).build().computeScore(labels, logits, softmax, null,
                        false), TIGHT);
        assertClose("gradient", new LossCrossEntropy().computeGradient(smoothed, logits, softmax, null),
                LossCrossEntropy.builder().labelSmoothing(eps).build().computeGradient(labels, logits, softmax, null),
                TIGHT, TIGHT);
        INDArray smoothedBinary = labels.mul(1 - eps).addi(eps / 2);
        ILossFunction plain = new LossBinaryCrossEntropy();
        ILossFunction smoothedLoss = LossBinaryCrossEntropy.builder().labelSmoothing(eps).build();
        ActivationSigmoid sigmoid = new ActivationSigmoid();
        assertEquals(plain.computeScore(smoothedBinary, logits, sigmoid, null, false),
                smoothedLoss.computeScore(labels, logits, sigmoid, null, false), TIGHT);
    }

    @Test
    void crossEntropyAgreesWithLossMcxentAwayFromItsClipping() {
        INDArray labels = LabelKind.ONE_HOT.generate(16, 6, 7, DataType.DOUBLE);
        INDArray logits = LossCase.gaussian(16, 6, 8, 2.0, DataType.DOUBLE);
        assertSameLoss(new LossMCXENT(), new LossCrossEntropy(), new ActivationSoftmax(), labels, logits, 1.0, 1e-9);
    }

    @Test
    void binaryCrossEntropyAgreesWithLossBinaryXentAwayFromItsClipping() {
        INDArray labels = LabelKind.BINARY.generate(16, 5, 9, DataType.DOUBLE);
        INDArray logits = LossCase.gaussian(16, 5, 10, 2.0, DataType.DOUBLE);
        assertSameLoss(new LossBinaryXENT(), new LossBinaryCrossEntropy(), new ActivationSigmoid(), labels, logits, 1.0,
                1e-9);
    }

    @Test
    void saturatedCorrectPredictionsCostNothingAndSaturatedWrongOnesCostTheirMargin() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 0}});
        INDArray logits = Nd4j.createFromArray(new double[][] {{1e4, 0, -1e4}, {1e4, 0, -1e4}});
        ActivationSoftmax softmax = new ActivationSoftmax();
        for (ILossFunction loss : new ILossFunction[] {new LossCrossEntropy(), LossFocal.builder().gamma(0.5)
                .noAlpha().build()}) {
            Pair<Double, INDArray> result = loss.computeGradientAndScore(labels, logits, softmax, null, false);
            INDArray perExample = loss.computeScoreArray(labels, logits, softmax, null);
            assertEquals(0.0, perExample.getDouble(0), 0.0, loss.toString());
            assertEquals(1e4, perExample.getDouble(1), 1e-9, loss.toString());
            assertEquals(0.0, result.getSecond().getRow(0).norm1Number().doubleValue(), 0.0, loss.toString());
            // the wrong row pulls the winning logit down and the target up, by 1 each
            assertClose(loss.toString(), Nd4j.createFromArray(1.0, -1.0, 0.0), result.getSecond().getRow(1), 1e-12,
                    1e-12);
        }
    }
}
