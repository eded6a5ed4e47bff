package io.github.losskit.dl4j;

import static io.github.losskit.testing.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LabelKind;
import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input gets an IllegalArgumentException whose message names the loss, the argument and the shapes. */
class BadInputTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    private static String lossName(LossCase c) {
        return c.newLoss().getClass().getSimpleName();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void labelsAndPreOutputOfDifferentShapes(LossCase c) {
        INDArray labels = c.labels(4, 1, DataType.DOUBLE);
        INDArray preOutput = LossCase.gaussian(4, c.classes() + 1, 2, 1, DataType.DOUBLE);
        assertMessage(() -> c.newLoss().computeScore(labels, preOutput, c.newActivation(), null, false),
                lossName(c), "labels shape [4, " + c.classes() + "]", "preOutput shape [4, " + (c.classes() + 1) + "]");
        assertMessage(() -> c.newLoss().computeGradient(labels, preOutput, c.newActivation(), null), lossName(c),
                "labels", "preOutput");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void maskOfAWrongShape(LossCase c) {
        INDArray labels = c.labels(4, 1, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(4, 2, 1, DataType.DOUBLE);
        for (INDArray mask : List.of(Nd4j.ones(3, 1), Nd4j.ones(4, 2 + c.classes()), Nd4j.ones(1, 4))) {
            assertMessage(() -> c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false),
                    lossName(c), "mask shape", "labels' shape [4, " + c.classes() + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void threeDimensionalInputIsRefused(LossCase c) {
        INDArray labels = Nd4j.zeros(2, c.classes(), 3);
        INDArray preOutput = Nd4j.zeros(2, c.classes(), 3);
        assertMessage(() -> c.newLoss().computeScore(labels, preOutput, c.newActivation(), null, false),
                lossName(c), "preOutput must be 2-D", "[2, " + c.classes() + ", 3]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void labelsOutsideTheLossDomainAreRefused(LossCase c) {
        Assumptions.assumeTrue(c.invalidLabel() != null, "every finite label is valid");
        INDArray labels = c.labels(4, 1, DataType.DOUBLE);
        labels.putScalar(new long[] {2, 0}, c.invalidLabel());
        INDArray preOutput = c.preOutput(4, 2, 1, DataType.DOUBLE);
        assertMessage(() -> c.newLoss().computeScore(labels, preOutput, c.newActivation(), null, false),
                lossName(c), "labels must", "[4, " + c.classes() + "]");
    }

    /**
     * Every entry point of the loss on the same arguments: the ones that compute the score may leave part of
     * the label check to the score, so each must be seen refusing.
     */
    private static List<Executable> entryPoints(LossCase c, INDArray labels, INDArray preOutput) {
        return List.of(
                () -> c.newLoss().computeGradient(labels, preOutput, c.newActivation(), null),
                () -> c.newLoss().computeScore(labels, preOutput, c.newActivation(), null, true),
                () -> c.newLoss().computeScoreArray(labels, preOutput, c.newActivation(), null),
                () -> c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(), null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void infiniteLabelsAreRefused(LossCase c) {
        // -infinity is a valid log-probability (of an impossible class)
        double[] infinities = c.labels() == LabelKind.LOG_SOFT ? new double[] {Double.POSITIVE_INFINITY}
                : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double infinity : infinities) {
            INDArray labels = c.labels(4, 1, DataType.DOUBLE);
            labels.putScalar(new long[] {3, 0}, infinity);
            INDArray preOutput = c.preOutput(4, 2, 1, DataType.DOUBLE);
            for (Executable call : entryPoints(c, labels, preOutput)) {
                assertMessage(call, lossName(c), "labels must");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void nanLabelsOutsideMasksAreRefused(LossCase c) {
        // at large logits as well, where a loss's terms saturate and could swallow a NaN
        for (double scale : new double[] {1, 1e4}) {
            INDArray labels = c.labels(4, 1, DataType.DOUBLE);
            labels.putScalar(new long[] {1, 0}, Double.NaN);
            INDArray preOutput = c.preOutput(4, 2, 1, DataType.DOUBLE).muli(scale);
            for (Executable call : entryPoints(c, labels, preOutput)) {
                assertMessage(call, lossName(c), "NaN");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void softmaxLossesRefuseMasksThatSplitARow(LossCase c) {
        INDArray labels = c.labels(4, 1, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(4, 2, 1, DataType.DOUBLE);
        INDArray mask = Nd4j.ones(labels.shape());
        mask.putScalar(new long[] {1, 0}, 0);
        if (c.takesPerOutputMasks()) {
            double full = c.newLoss().computeScore(labels, preOutput, c.newActivation(), null, false);
            assertTrue(c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false) < full);
        } else {
            assertMessage(() -> c.newLoss().computeGradient(labels, preOutput, c.newActivation(), mask), lossName(c),
                    "mask must be per example ([4, 1])", "[4, " + c.classes() + "]");
        }
    }

    @Test
    void binaryLabelsAboveOneAreRefused() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1}, {2, 0}});
        INDArray preOutput = Nd4j.zeros(2, 2);
        assertMessage(() -> new LossBinaryCrossEntropy().computeScore(labels, preOutput, new ActivationSigmoid(), null,
                false), "LossBinaryCrossEntropy", "labels must lie in [0.0, 1.0]", "2.0");
        assertMessage(() -> new LossFocal().computeScore(labels, preOutput, new ActivationSigmoid(), null, false),
                "LossFocal", "labels must lie in [0.0, 1.0]");
    }

    @Test
    void unsupportedActivationsAreNamed() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}});
        INDArray preOutput = Nd4j.zeros(2, 2);
        assertMessage(() -> new LossCrossEntropy().computeScore(labels, preOutput, new ActivationSigmoid(), null,
                false), "LossCrossEntropy", "softmax", "ActivationSigmoid");
        assertMessage(() -> new LossBinaryCrossEntropy().computeGradient(labels, preOutput, new ActivationSoftmax(),
                null), "LossBinaryCrossEntropy", "sigmoid", "ActivationSoftmax");
        assertMessage(() -> new LossFocal().computeGradient(labels, preOutput, new ActivationReLU(), null),
                "LossFocal", "softmax or sigmoid", "ActivationReLU");
        assertMessage(() -> new LossFocal().computeGradient(labels, preOutput, new ActivationIdentity(), null),
                "LossFocal", "ActivationIdentity");
    }

    @Test
    void invalidParametersAreRefusedAtConstruction() {
        assertMessage(() -> LossFocal.builder().gamma(-1).build(), "gamma", "-1.0");
        assertMessage(() -> LossFocal.builder().gamma(Double.NaN).build(), "gamma", "NaN");
        assertMessage(() -> LossFocal.builder().alpha(Double.NaN).build(), "alpha");
        assertMessage(() -> LossFocal.builder().alpha(0.5, 0.0, 1.0).build(), "alpha[1]");
        assertMessage(() -> LossFocal.builder().alpha().build(), "alpha");
        assertMessage(() -> LossCrossEntropy.builder().labelSmoothing(1.0).build(), "labelSmoothing", "[0, 1)");
        assertMessage(() -> LossCrossEntropy.builder().labelSmoothing(-0.1).build(), "labelSmoothing");
        assertMessage(() -> LossCrossEntropy.builder().weights(1, -2).build(), "weights[1]", "-2.0");
        assertMessage(() -> LossCrossEntropy.builder().weights(1, Double.POSITIVE_INFINITY).build(), "weights[1]");
        assertMessage(() -> LossBinaryCrossEntropy.builder().posWeight(0).build(), "posWeight[0]");
        assertMessage(() -> LossBinaryCrossEntropy.builder().weights(Double.NaN).build(), "weights[0]");
        assertMessage(() -> LossBinaryCrossEntropy.builder().labelSmoothing(Double.NaN).build(), "labelSmoothing");
    }

    @Test
    void perOutputParametersOfTheWrongLengthAreNamedAtEvaluation() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}});
        INDArray preOutput = Nd4j.zeros(2, 3);
        assertMessage(() -> LossCrossEntropy.builder().weights(1, 2).build().computeScore(labels, preOutput,
                new ActivationSoftmax(), null, false), "weights has 2 values", "3 columns");
        assertMessage(() -> LossBinaryCrossEntropy.builder().posWeight(1, 2).build().computeScore(labels, preOutput,
                new ActivationSigmoid(), null, false), "posWeight has 2 values", "give 1 or 3");
        assertMessage(() -> LossBinaryCrossEntropy.builder().weights(1, 2, 3, 4).build().computeScore(labels,
                preOutput, new ActivationSigmoid(), null, false), "weights has 4 values");
        assertMessage(() -> LossFocal.builder().alpha(1, 2).build().computeScore(labels, preOutput,
                new ActivationSoftmax(), null, false), "alpha has 2 values");
    }

    @Test
    void sigmoidFocalNeedsAlphaInTheUnitInterval() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}});
        INDArray preOutput = Nd4j.zeros(2, 2);
        assertMessage(() -> LossFocal.builder().alpha(1.5).build().computeScore(labels, preOutput,
                new ActivationSigmoid(), null, false), "LossFocal", "alpha", "1.5");
        assertMessage(() -> LossFocal.builder().alpha(0.5, 2.0).build().computeScore(labels, preOutput,
                new ActivationSigmoid(), null, false), "LossFocal", "alpha");
    }

    @Test
    void integerPreOutputIsRefused() {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}});
        INDArray preOutput = Nd4j.zeros(DataType.INT32, 2, 2);
        assertMessage(() -> new LossCrossEntropy().computeScore(labels, preOutput, new ActivationSoftmax(), null,
                false), "LossCrossEntropy", "floating point", "INT");
    }

    @Test
    void nullArgumentsAreNamed() {
        assertMessage(() -> new LossFocal().computeScore(null, Nd4j.zeros(2, 2), new ActivationSoftmax(), null, false),
                "LossFocal", "labels");
    }
}
