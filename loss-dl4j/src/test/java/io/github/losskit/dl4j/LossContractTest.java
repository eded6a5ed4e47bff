package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import io.github.losskit.testing.FiniteDifferences;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The contract every LossKit DL4J loss keeps (GUIDE.md), run over the whole {@link LossCatalog}. */
class LossContractTest {

    private static final int ROWS = 7;
    private static final double TIGHT = 1e-12;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    private static INDArray labels(LossCase c) {
        return c.labels(ROWS, 11, DataType.DOUBLE);
    }

    private static INDArray preOutput(LossCase c) {
        return c.preOutput(ROWS, 12, 2.0, DataType.DOUBLE);
    }

    private static double score(LossCase c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false);
    }

    private static INDArray gradient(LossCase c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeGradient(labels, preOutput, c.newActivation(), mask);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void summedScoreEqualsTheSumOfTheScoreArray(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        ILossFunction loss = c.newLoss();
        INDArray perExample = loss.computeScoreArray(labels, preOutput, c.newActivation(), null);
        assertEquals(ROWS, perExample.size(0));
        assertEquals(1, perExample.size(1));
        double sum = loss.computeScore(labels, preOutput, c.newActivation(), null, false);
        double mean = loss.computeScore(labels, preOutput, c.newActivation(), null, true);
        assertEquals(perExample.sumNumber().doubleValue(), sum, 1e-12 * Math.abs(sum));
        assertEquals(sum / ROWS, mean, 1e-12 * Math.abs(mean));
        assertTrue(perExample.minNumber().doubleValue() >= 0, "losses are non-negative");
    }

    /**
     * Asked for a total alone, the element-wise evaluator sums up to 65,536 values in one reduction and larger
     * batches row by row first; on either side of that size the total is the sum of the score array.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void totalsOfBatchesAboveTheFlatSumSizeEqualTheSumOfTheScoreArray(LossCase c) {
        int rows = (1 << 16) / c.classes() + 1;
        INDArray labels = c.labels(rows, 11, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(rows, 12, 2.0, DataType.DOUBLE);
        ILossFunction loss = c.newLoss();
        double expected = loss.computeScoreArray(labels, preOutput, c.newActivation(), null).sumNumber()
                .doubleValue();
        double tolerance = 1e-10 * Math.abs(expected);
        assertEquals(expected, loss.computeScore(labels, preOutput, c.newActivation(), null, false), tolerance);
        assertEquals(expected,
                loss.computeGradientAndScore(labels, preOutput, c.newActivation(), null, false).getFirst(), tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientAndScoreTogetherEqualTheSeparateCalls(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray mask = rowMask(0, 1, 1, 0, 1, 1, 1);
        Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(), mask,
                true);
        assertEquals(score(c, labels, preOutput, mask) / ROWS, both.getFirst(), TIGHT);
        assertClose("gradient", gradient(c, labels, preOutput, mask), both.getSecond(), TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientEqualsFiniteDifferences(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        for (INDArray mask : masks(c, labels)) {
            INDArray numeric = FiniteDifferences.gradient(x -> score(c, labels, x, mask), preOutput, 1e-6);
            assertClose("gradient vs finite differences", numeric, gradient(c, labels, preOutput, mask), 1e-6,
                    1e-8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void unitMasksEqualNoMask(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        double unmasked = score(c, labels, preOutput, null);
        INDArray unmaskedGradient = gradient(c, labels, preOutput, null);
        for (INDArray ones : List.of(Nd4j.ones(ROWS, 1), Nd4j.ones(labels.shape()))) {
            assertEquals(unmasked, score(c, labels, preOutput, ones), TIGHT * Math.abs(unmasked));
            assertClose("gradient", unmaskedGradient, gradient(c, labels, preOutput, ones), TIGHT, TIGHT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void allMaskedBatchGivesZeroScoreAndZeroGradient(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        for (INDArray zeros : List.of(Nd4j.zeros(ROWS, 1), Nd4j.zeros(labels.shape()))) {
            Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(),
                    zeros, true);
            assertEquals(0.0, both.getFirst());
            assertFinite("gradient", both.getSecond());
            assertEquals(0.0, both.getSecond().norm1Number().doubleValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void maskingARowEqualsDroppingIt(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray mask = rowMask(1, 0, 1, 1, 0, 0, 1);
        int[] kept = {0, 2, 3, 6};
        INDArray keptLabels = labels.getRows(kept);
        INDArray keptPreOutput = preOutput.getRows(kept);
        double expected = score(c, keptLabels, keptPreOutput, null);
        assertEquals(expected, score(c, labels, preOutput, mask), TIGHT * Math.abs(expected));
        INDArray maskedGradient = gradient(c, labels, preOutput, mask);
        assertClose("kept rows", gradient(c, keptLabels, keptPreOutput, null), maskedGradient.getRows(kept),
                TIGHT, TIGHT);
        assertEquals(0.0, maskedGradient.getRows(1, 4, 5).norm1Number().doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void nanAndInfinityInMaskedPositionsHaveNoEffect(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        for (INDArray mask : masks(c, labels)) {
            INDArray poisonedLabels = labels.dup();
            INDArray poisonedPreOutput = preOutput.dup();
            INDArray masked = mask.size(1) == 1 ? mask.eq(0).castTo(DataType.DOUBLE).repeat(1, labels.size(1))
                    : mask.eq(0).castTo(DataType.DOUBLE);
            for (long i = 0; i < masked.length(); i++) {
                if (masked.getDouble(i) == 1) {
                    poisonedLabels.putScalar(i, Double.NaN);
                    poisonedPreOutput.putScalar(i, i % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY);
                }
            }
            double clean = score(c, labels, preOutput, mask);
            assertEquals(clean, score(c, poisonedLabels, poisonedPreOutput, mask), TIGHT * Math.abs(clean));
            assertClose("gradient", gradient(c, labels, preOutput, mask),
                    gradient(c, poisonedLabels, poisonedPreOutput, mask), TIGHT, TIGHT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void permutingTheBatchPermutesTheResults(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        int[] order = {3, 0, 6, 1, 5, 2, 4};
        ILossFunction loss = c.newLoss();
        IActivation activation = c.newActivation();
        INDArray perExample = loss.computeScoreArray(labels, preOutput, activation, null);
        INDArray permuted = loss.computeScoreArray(labels.getRows(order), preOutput.getRows(order), activation, null);
        assertClose("score array", perExample.getRows(order), permuted, TIGHT, TIGHT);
        assertClose("gradient", gradient(c, labels, preOutput, null).getRows(order),
                gradient(c, labels.getRows(order), preOutput.getRows(order), null), TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void floatAgreesWithDouble(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray mask = rowMask(1, 1, 1, 0, 1, 1, 1);
        double d = score(c, labels, preOutput, mask);
        INDArray floatLabels = labels.castTo(DataType.FLOAT);
        INDArray floatPreOutput = preOutput.castTo(DataType.FLOAT);
        Pair<Double, INDArray> f = c.newLoss().computeGradientAndScore(floatLabels, floatPreOutput,
                c.newActivation(), mask.castTo(DataType.FLOAT), false);
        assertEquals(DataType.FLOAT, f.getSecond().dataType());
        assertEquals(d, f.getFirst(), 1e-4 * Math.abs(d));
        assertClose("gradient", gradient(c, labels, preOutput, mask), f.getSecond().castTo(DataType.DOUBLE), 1e-4,
                1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void labelsOfAnotherDataTypeAreCast(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        double expected = score(c, labels, preOutput, null);
        assertEquals(expected, score(c, labels.castTo(DataType.FLOAT), preOutput, null), 1e-6 * Math.abs(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void finiteAtExtremeLogits(LossCase c) {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray labels = c.labels(ROWS, 21, type);
            // +-1e4 in every position pattern: with and against the labels
            INDArray preOutput = c.preOutput(ROWS, 22, 1.0, type);
            preOutput = Nd4j.math().sign(preOutput).muli(1e4);
            Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(),
                    null, false);
            assertTrue(Double.isFinite(both.getFirst()), type + " score " + both.getFirst());
            assertFinite(type + " gradient", both.getSecond());
            assertFinite(type + " score array",
                    c.newLoss().computeScoreArray(labels, preOutput, c.newActivation(), null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void inputsAreNeverModified(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray mask = masks(c, labels).get(masks(c, labels).size() - 1);
        INDArray labelsCopy = labels.dup();
        INDArray preOutputCopy = preOutput.dup();
        INDArray maskCopy = mask.dup();
        ILossFunction loss = c.newLoss();
        IActivation activation = c.newActivation();
        loss.computeScore(labels, preOutput, activation, mask, true);
        loss.computeScoreArray(labels, preOutput, activation, mask);
        loss.computeGradient(labels, preOutput, activation, mask);
        loss.computeGradientAndScore(labels, preOutput, activation, mask, true);
        assertEquals(labelsCopy, labels);
        assertEquals(preOutputCopy, preOutput);
        assertEquals(maskCopy, mask);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void zeroWeightOnEveryRowButOneEqualsThatRowAlone(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray mask = rowMask(0, 0, 0, 0.5, 0, 0, 0);
        double single = score(c, labels.getRows(3), preOutput.getRows(3), null);
        assertEquals(0.5 * single, score(c, labels, preOutput, mask), TIGHT * Math.abs(single));
        assertClose("gradient", gradient(c, labels.getRows(3), preOutput.getRows(3), null).muli(0.5),
                gradient(c, labels, preOutput, mask).get(NDArrayIndex.interval(3, 4), NDArrayIndex.all()),
                TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void perOutputMasksWithConstantRowsEqualPerExampleMasks(LossCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c);
        INDArray column = rowMask(1, 0, 1, 0.5, 0, 1, 1);
        INDArray constantRows = column.repeat(1, labels.size(1));
        double expected = score(c, labels, preOutput, column);
        assertEquals(expected, score(c, labels, preOutput, constantRows), TIGHT * Math.abs(expected));
        assertClose("gradient", gradient(c, labels, preOutput, column),
                gradient(c, labels, preOutput, constantRows), TIGHT, TIGHT);
    }

    /** A per-example mask, and a per-output mask where the loss takes one. */
    static List<INDArray> masks(LossCase c, INDArray labels) {
        INDArray perExample = rowMask(1, 0, 1, 1, 0, 1, 1);
        if (!c.takesPerOutputMasks()) {
            return List.of(perExample);
        }
        INDArray perOutput = Nd4j.ones(labels.shape());
        perOutput.putScalar(new long[] {2, 1}, 0);
        perOutput.putScalar(new long[] {5, 0}, 0);
        return List.of(perExample, perOutput);
    }

    static INDArray rowMask(double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1);
    }
}
