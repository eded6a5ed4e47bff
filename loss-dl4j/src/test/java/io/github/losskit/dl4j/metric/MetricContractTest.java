package io.github.losskit.dl4j.metric;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.testing.FiniteDifferences;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The LossKit contract (GUIDE.md) for losses whose rows interact, over {@link MetricCatalog}. Masking means
 * dropping: for the mined modes, dropping the masked rows from the batch; for consecutive pairs and triplets,
 * dropping every pair or triplet with a masked row. Permutations that keep the structure (any permutation of a
 * mined batch; reordering whole pairs or triplets, or the two rows of a pair) permute the results.
 */
class MetricContractTest {

    private static final double TIGHT = 1e-12;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<MetricCase> losses() {
        return MetricCatalog.all();
    }

    private static INDArray labels(MetricCase c) {
        return c.labels(c.rows(), 11, DataType.DOUBLE);
    }

    private static INDArray preOutput(MetricCase c, INDArray labels) {
        return c.preOutput(labels, 12, DataType.DOUBLE);
    }

    private static double score(MetricCase c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false);
    }

    private static INDArray gradient(MetricCase c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeGradient(labels, preOutput, c.newActivation(), mask);
    }

    /** Masked rows: for consecutive cases a whole group and one row of another group. */
    static int[] maskedRows(MetricCase c) {
        return switch (c.group()) {
            case 2 -> new int[] {2, 3, 5};
            case 3 -> new int[] {3, 4, 5, 7};
            default -> new int[] {1, 5};
        };
    }

    /** The rows of the batch that a mask of {@code masked} leaves: whole groups drop with any masked row. */
    static int[] keptRows(MetricCase c, int[] masked) {
        int group = Math.max(1, c.group());
        return IntStream.range(0, c.rows())
                .filter(r -> Arrays.stream(masked).noneMatch(m -> m / group == r / group)).toArray();
    }

    static INDArray mask(int rows, int... masked) {
        INDArray mask = Nd4j.ones(rows, 1);
        for (int r : masked) {
            mask.putScalar(r, 0, 0.0);
        }
        return mask;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void summedScoreEqualsTheSumOfTheScoreArrayAndTheAverageDividesByRows(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        ILossFunction loss = c.newLoss();
        INDArray perRow = loss.computeScoreArray(labels, preOutput, c.newActivation(), null);
        assertEquals(List.of((long) c.rows(), 1L), List.of(perRow.size(0), perRow.size(1)));
        double total = loss.computeScore(labels, preOutput, c.newActivation(), null, false);
        double average = loss.computeScore(labels, preOutput, c.newActivation(), null, true);
        assertTrue(total > 0, "the test batch has a positive loss: " + total);
        assertEquals(perRow.sumNumber().doubleValue(), total, TIGHT * total);
        assertEquals(total / c.rows(), average, TIGHT * average);
        assertTrue(perRow.minNumber().doubleValue() >= 0, "per-row values are non-negative");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientAndScoreTogetherEqualTheSeparateCalls(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        INDArray mask = mask(c.rows(), maskedRows(c));
        Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(), mask,
                true);
        assertEquals(score(c, labels, preOutput, mask) / c.rows(), both.getFirst(), TIGHT);
        assertClose("gradient", gradient(c, labels, preOutput, mask), both.getSecond(), TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientEqualsFiniteDifferences(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        for (INDArray mask : java.util.Arrays.asList(null, mask(c.rows(), maskedRows(c)))) {
            INDArray numeric = FiniteDifferences.gradient(x -> score(c, labels, x, mask), preOutput, 1e-6);
            assertClose("gradient vs finite differences", numeric, gradient(c, labels, preOutput, mask), 1e-6, 1e-8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void aMaskOfOnesEqualsNoMask(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        double unmasked = score(c, labels, preOutput, null);
        assertEquals(unmasked, score(c, labels, preOutput, Nd4j.ones(c.rows(), 1)), TIGHT * unmasked);
        assertClose("gradient", gradient(c, labels, preOutput, null),
                gradient(c, labels, preOutput, Nd4j.ones(c.rows(), 1)), TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void anAllMaskedBatchGivesZeroScoreAndZeroGradient(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(),
                Nd4j.zeros(c.rows(), 1), true);
        assertEquals(0.0, both.getFirst());
        assertFinite("gradient", both.getSecond());
        assertEquals(0.0, both.getSecond().norm1Number().doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void maskingRowsEqualsDroppingThem(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        int[] masked = maskedRows(c);
        int[] kept = keptRows(c, masked);
        INDArray mask = mask(c.rows(), masked);
        INDArray keptLabels = labels.getRows(kept);
        INDArray keptPreOutput = preOutput.getRows(kept);
        ILossFunction loss = c.newLoss();

        double expected = score(c, keptLabels, keptPreOutput, null);
        assertEquals(expected, score(c, labels, preOutput, mask), TIGHT * Math.abs(expected));
        INDArray perRow = loss.computeScoreArray(labels, preOutput, c.newActivation(), mask);
        assertClose("kept rows' values", loss.computeScoreArray(keptLabels, keptPreOutput, c.newActivation(), null),
                perRow.getRows(kept), TIGHT, TIGHT);
        INDArray maskedGradient = gradient(c, labels, preOutput, mask);
        assertClose("kept rows' gradient", gradient(c, keptLabels, keptPreOutput, null), maskedGradient.getRows(kept),
                TIGHT, TIGHT);
        int[] dropped = IntStream.range(0, c.rows()).filter(r -> Arrays.stream(kept).noneMatch(k -> k == r))
                .toArray();
        assertEquals(0.0, maskedGradient.getRows(dropped).norm1Number().doubleValue());
        assertEquals(0.0, perRow.getRows(dropped).norm1Number().doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void nanAndInfinityInMaskedRowsHaveNoEffect(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        int[] masked = maskedRows(c);
        INDArray mask = mask(c.rows(), masked);
        INDArray poisonedLabels = labels.dup();
        INDArray poisonedPreOutput = preOutput.dup();
        for (int r : masked) {
            poisonedLabels.getRow(r).assign(Double.NaN);
            poisonedPreOutput.getRow(r).assign(r % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY);
        }
        double clean = score(c, labels, preOutput, mask);
        assertEquals(clean, score(c, poisonedLabels, poisonedPreOutput, mask), TIGHT * Math.abs(clean));
        assertClose("gradient", gradient(c, labels, preOutput, mask),
                gradient(c, poisonedLabels, poisonedPreOutput, mask), TIGHT, TIGHT);
        assertClose("score array", c.newLoss().computeScoreArray(labels, preOutput, c.newActivation(), mask),
                c.newLoss().computeScoreArray(poisonedLabels, poisonedPreOutput, c.newActivation(), mask), TIGHT,
                TIGHT);
    }

    /** A permutation that keeps the case's structure: any order when mining, whole groups otherwise. */
    static int[] permutation(MetricCase c) {
        return switch (c.group()) {
            // pairs 3, 0, 2, 1, with the rows of two pairs swapped
            case 2 -> new int[] {7, 6, 0, 1, 4, 5, 3, 2};
            case 3 -> new int[] {6, 7, 8, 0, 1, 2, 3, 4, 5};
            default -> new int[] {3, 0, 8, 6, 1, 5, 2, 7, 4};
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void structurePreservingPermutationsPermuteTheResults(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        int[] order = permutation(c);
        ILossFunction loss = c.newLoss();
        INDArray perRow = loss.computeScoreArray(labels, preOutput, c.newActivation(), null);
        INDArray permuted = loss.computeScoreArray(labels.getRows(order), preOutput.getRows(order), c.newActivation(),
                null);
        assertClose("score array", perRow.getRows(order), permuted, TIGHT, TIGHT);
        assertClose("gradient", gradient(c, labels, preOutput, null).getRows(order),
                gradient(c, labels.getRows(order), preOutput.getRows(order), null), TIGHT, TIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void floatAgreesWithDouble(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        INDArray mask = mask(c.rows(), maskedRows(c));
        double d = score(c, labels, preOutput, mask);
        Pair<Double, INDArray> f = c.newLoss().computeGradientAndScore(labels.castTo(DataType.FLOAT),
                preOutput.castTo(DataType.FLOAT), c.newActivation(), mask.castTo(DataType.FLOAT), false);
        assertEquals(DataType.FLOAT, f.getSecond().dataType());
        assertEquals(d, f.getFirst(), 1e-4 * Math.abs(d));
        assertClose("gradient", gradient(c, labels, preOutput, mask), f.getSecond().castTo(DataType.DOUBLE), 1e-4,
                1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void labelsOfAnotherDataTypeAreCast(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        double expected = score(c, labels, preOutput, null);
        assertEquals(expected, score(c, labels.castTo(DataType.FLOAT), preOutput, null), TIGHT * expected);
        assertEquals(expected, score(c, labels.castTo(DataType.INT32), preOutput, null), TIGHT * expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void inputsAreNeverModified(MetricCase c) {
        INDArray labels = labels(c);
        INDArray preOutput = preOutput(c, labels);
        INDArray mask = mask(c.rows(), maskedRows(c));
        INDArray labelsCopy = labels.dup();
        INDArray preOutputCopy = preOutput.dup();
        INDArray maskCopy = mask.dup();
        ILossFunction loss = c.newLoss();
        for (INDArray m : java.util.Arrays.asList(null, mask)) {
            loss.computeScore(labels, preOutput, c.newActivation(), m, true);
            loss.computeScoreArray(labels, preOutput, c.newActivation(), m);
            loss.computeGradient(labels, preOutput, c.newActivation(), m);
            loss.computeGradientAndScore(labels, preOutput, c.newActivation(), m, true);
        }
        assertEquals(labelsCopy, labels);
        assertEquals(preOutputCopy, preOutput);
        assertEquals(maskCopy, mask);
    }
}
