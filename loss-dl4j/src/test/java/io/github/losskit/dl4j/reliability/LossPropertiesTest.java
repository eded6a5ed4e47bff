package io.github.losskit.dl4j.reliability;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import io.github.losskit.testing.FiniteDifferences;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Properties of every loss configuration in the catalog over random batches (jqwik, fixed seeds, so a
 * failure reproduces): the random counterpart of the fixed-input contract test.
 */
class LossPropertiesTest {

    /** A sixth of float16's largest value: results below it leave room for float16's rounding and sums. */
    private static final double HALF_RANGE = 1e4;

    @BeforeProperty
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Provide
    Arbitrary<LossCase> losses() {
        return Arbitraries.of(LossCatalog.all());
    }

    /** Logits and predictions up to +-1e4 and beyond (scale 1e4 times Gaussians), in double, float and float16. */
    @Property(tries = 600, seed = "20261127")
    void valuesAreNonNegativeAndEverythingIsFiniteAtAnyScale(@ForAll("losses") LossCase c,
            @ForAll @IntRange(min = 1, max = 9) int rows, @ForAll long seed,
            @ForAll @DoubleRange(min = -3, max = 4) double log10Scale) {
        double scale = Math.pow(10, log10Scale);
        List<DataType> types = new ArrayList<>(List.of(DataType.DOUBLE, DataType.FLOAT, DataType.HALF));
        for (int t = 0; t < types.size(); t++) {
            DataType type = types.get(t);
            INDArray labels = c.labels(rows, seed, type);
            INDArray preOutput = c.preOutput(rows, seed + 1, scale, type);
            INDArray perExample = c.newLoss().computeScoreArray(labels, preOutput, c.newActivation(), null);
            assertFinite(type + " score array", perExample);
            assertTrue(perExample.minNumber().doubleValue() >= 0, type + " values must be >= 0: " + perExample);
            INDArray gradient = c.newLoss().computeGradient(labels, preOutput, c.newActivation(), null);
            assertFinite(type + " gradient", gradient);
            // float16 (largest value 65504) must be finite wherever the results themselves fit with room to
            // spare: no intermediate (an exp, a square) may overflow where the result does not. A squared hinge
            // of a margin beyond ~250 does not fit, and is not asked to.
            if (type == DataType.DOUBLE && Math.max(perExample.amaxNumber().doubleValue(),
                    gradient.amaxNumber().doubleValue()) > HALF_RANGE) {
                types.remove(DataType.HALF);
            }
        }
    }

    @Property(tries = 350, seed = "20261128")
    void gradientEqualsFiniteDifferencesAtRandomPoints(@ForAll("losses") LossCase c,
            @ForAll @IntRange(min = 1, max = 5) int rows, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.1, max = 3) double scale) {
        INDArray labels = c.labels(rows, seed, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(rows, seed + 1, scale, DataType.DOUBLE);
        INDArray numeric = FiniteDifferences.gradient(
                x -> c.newLoss().computeScore(labels, x, c.newActivation(), null, false), preOutput, 1e-6);
        INDArray analytic = c.newLoss().computeGradient(labels, preOutput, c.newActivation(), null);
        if (!nearAKink(c, labels, preOutput)) {
            assertClose(c + " gradient", numeric, analytic, 1e-5, 1e-7);
        }
    }

    @Property(tries = 400, seed = "20261129")
    void maskingRowsEqualsDroppingThemAndNaNThereHasNoEffect(@ForAll("losses") LossCase c,
            @ForAll @IntRange(min = 2, max = 9) int rows, @ForAll long seed) {
        Random random = new Random(seed);
        INDArray labels = c.labels(rows, seed, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(rows, seed + 1, 2.0, DataType.DOUBLE);
        INDArray mask = Nd4j.zeros(rows, 1);
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            if (random.nextBoolean()) {
                mask.putScalar(r, 0, 1.0);
                kept.add(r);
            } else {
                for (int col = 0; col < labels.size(1); col++) {
                    preOutput.putScalar(new long[] {r, col}, Double.NaN);
                    labels.putScalar(new long[] {r, col}, Double.NaN);
                }
            }
        }
        double masked = c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false);
        double expected = kept.isEmpty() ? 0.0 : c.newLoss().computeScore(
                labels.getRows(kept.stream().mapToInt(Integer::intValue).toArray()),
                preOutput.getRows(kept.stream().mapToInt(Integer::intValue).toArray()), c.newActivation(), null, false);
        assertEquals(expected, masked, 1e-12 * Math.max(1, Math.abs(expected)));
        assertFinite("gradient", c.newLoss().computeGradient(labels, preOutput, c.newActivation(), mask));
    }

    @Property(tries = 400, seed = "20261130")
    void permutingRowsPermutesResultsAndFloatAgreesWithDouble(@ForAll("losses") LossCase c,
            @ForAll @IntRange(min = 1, max = 9) int rows, @ForAll long seed) {
        INDArray labels = c.labels(rows, seed, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(rows, seed + 1, 2.0, DataType.DOUBLE);
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            order.add(r);
        }
        Collections.shuffle(order, new Random(seed));
        int[] permutation = order.stream().mapToInt(Integer::intValue).toArray();
        INDArray labelsCopy = labels.dup();
        INDArray preOutputCopy = preOutput.dup();
        Pair<Double, INDArray> original = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(),
                null, false);
        assertEquals(labelsCopy, labels, "labels were modified");
        assertEquals(preOutputCopy, preOutput, "preOutput was modified");
        Pair<Double, INDArray> permuted = c.newLoss().computeGradientAndScore(labels.getRows(permutation),
                preOutput.getRows(permutation), c.newActivation(), null, false);
        assertEquals(original.getFirst(), permuted.getFirst(), 1e-12 * Math.max(1, Math.abs(original.getFirst())));
        assertClose("gradient", original.getSecond().getRows(permutation), permuted.getSecond(), 1e-12, 1e-12);
        Pair<Double, INDArray> single = c.newLoss().computeGradientAndScore(labels.castTo(DataType.FLOAT),
                preOutput.castTo(DataType.FLOAT), c.newActivation(), null, false);
        assertEquals(original.getFirst(), single.getFirst(), 1e-4 * Math.max(1, Math.abs(original.getFirst())));
        assertClose("float gradient", original.getSecond(), single.getSecond().castTo(DataType.DOUBLE), 1e-4, 1e-5);
    }

    /** Hinge-type and Huber-type losses have kinks; finite differences straddling one are meaningless. */
    private static boolean nearAKink(LossCase c, INDArray labels, INDArray preOutput) {
        String name = c.name();
        if (name.contains("hinge")) {
            INDArray margin = labels.mul(preOutput);
            return Nd4j.math().abs(margin.rsub(1.0)).minNumber().doubleValue() < 1e-4;
        }
        if (name.contains("huber") || name.contains("smooth")) {
            double threshold = name.contains("0.5") ? 0.5 : name.contains("0.25") ? 0.25 : 1.0;
            INDArray residual = Nd4j.math().abs(preOutput.sub(labels));
            return Nd4j.math().abs(residual.sub(threshold)).minNumber().doubleValue() < 1e-4;
        }
        return false;
    }
}
