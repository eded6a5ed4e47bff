package io.github.losskit.dl4j.reliability;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.dl4j.reliability.MetricCases.Metric;
import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.testing.FiniteDifferences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Properties of every metric-loss configuration of {@code MetricCatalog} (contrastive and triplet, every pair
 * mode, mining, distance, penalty and swap) over random batches: jqwik with fixed seeds, so that a failure
 * reproduces. The random counterpart of {@code MetricContractTest}, whose conventions it shares: masking a row
 * drops it from the batch, and for consecutive pairs and triplets drops its whole pair or triplet (the documented
 * semantics of {@code LossContrastive} and {@code LossTriplet}); permutations that keep the structure (any order
 * of a mined batch; whole pairs or triplets reordered) permute the results.
 *
 * <p>What holds in float: at embedding scales from 1e-3 to 1e4 every value and gradient is finite in float as in
 * double (the largest intermediate, a squared-Euclidean contrastive loss at scale 1e4, is about 1e18, far below
 * float's 3e38). Float agrees with double to 1e-4 only away from ties: where two distances that a mining, a
 * hinge, a semi-hard band or a swap compares are within float's rounding of each other, the two precisions may
 * choose differently, and the loss (a max or min of branches) has a kink there anyway. float16 is checked for
 * finiteness where its range allows (see {@link #HALF_SAFE_ELEMENT}).
 */
class MetricLossPropertiesTest {

    private static final int DIRECTIONS = 3;
    /**
     * float16 holds at most 65504. The Euclidean kinds square differences (and the contrastive loss squares the
     * squared distance again), so float16 is finite only for small embeddings: elements up to 1.5 keep |a - b|^2
     * below 36 and every term far below the limit. Beyond |a - b| ~ 256 a float16 Euclidean distance overflows
     * (NaN/Inf) although the distance itself would fit: the squares are summed without rescaling. Cosine
     * distances stay finite at any scale, but are only accurate while the squared norms fit: beyond a norm of ~256
     * the norm is infinite, the unit vector 0 and the distance 1.
     */
    private static final double HALF_SAFE_ELEMENT = 1.5;

    @BeforeProperty
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Provide
    Arbitrary<Metric> metrics() {
        return Arbitraries.of(MetricCases.all());
    }

    private static double score(Metric c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeScore(labels, preOutput, c.newActivation(), mask, false);
    }

    private static INDArray scoreArray(Metric c, INDArray labels, INDArray preOutput, INDArray mask) {
        return c.newLoss().computeScoreArray(labels, preOutput, c.newActivation(), mask);
    }

    /** A 0/1 row mask [rows, 1] masking about a quarter of the rows. */
    /** A double batch of a case: labels, pre-activations times {@code scale}, and a random mask or none. */
    private record Batch(int rows, INDArray labels, INDArray preOutput, INDArray mask) {

        static Batch of(Metric c, int size, long seed, double scale, boolean masked) {
            int rows = c.rows(size);
            INDArray labels = c.labels(rows, seed, DataType.DOUBLE);
            INDArray preOutput = c.preOutput(labels, seed + 1, DataType.DOUBLE).muli(scale);
            return new Batch(rows, labels, preOutput, masked ? randomMask(rows, seed + 2, DataType.DOUBLE) : null);
        }

        /** {@link #awayFromTies(Metric, INDArray, double)} for the embeddings the loss sees. */
        boolean awayFromTies(Metric c, double relativeTolerance) {
            return MetricLossPropertiesTest.awayFromTies(c, c.newActivation().getActivation(preOutput.dup(), false),
                    relativeTolerance);
        }
    }

    private static INDArray randomMask(int rows, long seed, DataType type) {
        Random random = new Random(seed);
        INDArray mask = Nd4j.ones(type, rows, 1);
        for (int r = 0; r < rows; r++) {
            if (random.nextInt(4) == 0) {
                mask.putScalar(r, 0, 0.0);
            }
        }
        return mask;
    }

    @Property(tries = 300, seed = "20261201")
    void valuesAreNonNegativeAndEverythingIsFiniteAtAnyScale(@ForAll("metrics") Metric c,
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll long seed,
            @ForAll @DoubleRange(min = -3, max = 4) double log10Scale) {
        int rows = c.rows(size);
        double scale = Math.pow(10, log10Scale);
        INDArray labels = c.labels(rows, seed, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(labels, seed + 1, DataType.DOUBLE).muli(scale);
        List<DataType> types = new ArrayList<>(List.of(DataType.DOUBLE, DataType.FLOAT));
        boolean halfInRange = distance(c) == Distance.COSINE || c.newActivation().getActivation(preOutput.dup(), false)
                .amaxNumber().doubleValue() <= HALF_SAFE_ELEMENT;
        if (halfInRange) {
            types.add(DataType.HALF);
        }
        for (DataType type : types) {
            INDArray typedLabels = labels.castTo(type);
            INDArray typedPreOutput = preOutput.castTo(type);
            INDArray perRow = scoreArray(c, typedLabels, typedPreOutput, null);
            assertFinite(type + " score array at scale " + scale, perRow);
            assertTrue(perRow.minNumber().doubleValue() >= 0, type + " values must be >= 0: " + perRow);
            Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(typedLabels, typedPreOutput,
                    c.newActivation(), null, false);
            assertTrue(Double.isFinite(both.getFirst()) && both.getFirst() >= 0, type + " total " + both.getFirst());
            assertEquals(type, both.getSecond().dataType());
            assertFinite(type + " gradient at scale " + scale, both.getSecond());
        }
    }

    /**
     * Finite differences along random directions rather than along every coordinate: one directional
     * derivative costs two evaluations whatever the batch size, so the batches can be as large as in the other
     * properties, and a wrong gradient element shows in every random direction that is not orthogonal to it.
     */
    @Property(tries = 200, seed = "20261202")
    void gradientEqualsFiniteDifferencesAwayFromTies(@ForAll("metrics") Metric c,
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.3, max = 3) double scale, @ForAll boolean masked) {
        Batch batch = Batch.of(c, size, seed, scale, masked);
        int rows = batch.rows();
        INDArray labels = batch.labels();
        INDArray preOutput = batch.preOutput();
        INDArray mask = batch.mask();
        // a central difference with step 1e-6 along a unit direction moves each distance by ~1e-6 at most
        Assume.that(batch.awayFromTies(c, 1e-5));
        INDArray[] directions = new INDArray[DIRECTIONS];
        for (int i = 0; i < DIRECTIONS; i++) {
            directions[i] = LossCase.gaussian(rows, (int) preOutput.size(1), seed + 3 + i, 1.0, DataType.DOUBLE);
            directions[i].divi(directions[i].norm2Number());
        }
        INDArray numeric = FiniteDifferences.gradient(t -> {
            INDArray x = preOutput.dup();
            for (int i = 0; i < DIRECTIONS; i++) {
                x.addi(directions[i].mul(t.getDouble(i)));
            }
            return score(c, labels, x, mask);
        }, Nd4j.zeros(DataType.DOUBLE, DIRECTIONS), 1e-6);
        Pair<Double, INDArray> analytic = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(),
                mask, false);
        INDArray directional = Nd4j.zeros(DataType.DOUBLE, DIRECTIONS);
        for (int i = 0; i < DIRECTIONS; i++) {
            directional.putScalar(i, analytic.getSecond().mul(directions[i]).sumNumber().doubleValue());
        }
        // the absolute floor: the rounding of the score over 2e-6, and of the products summed into the derivative
        double floor = 1e-9 * (Math.max(1, analytic.getFirst()) + analytic.getSecond().norm2Number().doubleValue());
        assertClose(c + " directional derivatives vs finite differences", numeric, directional, 1e-5, floor);
    }

    @Property(tries = 250, seed = "20261203")
    void maskingRowsEqualsDroppingThemAndNaNThereHasNoEffect(@ForAll("metrics") Metric c,
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll long seed,
            @ForAll @DoubleRange(min = -1, max = 1) double log10Scale) {
        Batch batch = Batch.of(c, size, seed, Math.pow(10, log10Scale), true);
        int rows = batch.rows();
        INDArray labels = batch.labels();
        INDArray preOutput = batch.preOutput();
        INDArray mask = batch.mask();
        int group = Math.max(1, c.group());
        // a masked row drops its whole pair or triplet in the consecutive modes
        int[] kept = IntStream.range(0, rows).filter(r -> IntStream.range(0, rows)
                .noneMatch(m -> m / group == r / group && mask.getDouble(m, 0) == 0)).toArray();
        int[] dropped = IntStream.range(0, rows).filter(r -> Arrays.stream(kept).noneMatch(k -> k == r)).toArray();

        INDArray poisonedLabels = labels.dup();
        INDArray poisonedPreOutput = preOutput.dup();
        double[] poison = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int r = 0; r < rows; r++) {
            if (mask.getDouble(r, 0) == 0) {
                poisonedLabels.getRow(r).assign(Double.NaN);
                poisonedPreOutput.getRow(r).assign(poison[r % poison.length]);
            }
        }
        Pair<Double, INDArray> both = c.newLoss().computeGradientAndScore(poisonedLabels, poisonedPreOutput,
                c.newActivation(), mask, false);
        double total = both.getFirst();
        INDArray gradient = both.getSecond();
        INDArray perRow = scoreArray(c, poisonedLabels, poisonedPreOutput, mask);
        assertFinite("score array", perRow);
        assertFinite("gradient", gradient);
        if (dropped.length > 0) {
            assertEquals(0.0, perRow.getRows(dropped).norm1Number().doubleValue(), "dropped rows' values");
            assertEquals(0.0, gradient.getRows(dropped).norm1Number().doubleValue(), "dropped rows' gradient");
        }
        if (kept.length == 0) {
            assertEquals(0.0, total, "nothing kept");
            return;
        }
        INDArray keptLabels = labels.getRows(kept);
        INDArray keptPreOutput = preOutput.getRows(kept);
        Pair<Double, INDArray> expectedBoth = c.newLoss().computeGradientAndScore(keptLabels, keptPreOutput,
                c.newActivation(), null, false);
        double expected = expectedBoth.getFirst();
        assertEquals(expected, total, 1e-10 * Math.max(1, Math.abs(expected)), "total");
        INDArray expectedPerRow = scoreArray(c, keptLabels, keptPreOutput, null);
        assertClose("kept rows' values", expectedPerRow, perRow.getRows(kept), 1e-10,
                1e-12 * Math.max(1, expectedPerRow.amaxNumber().doubleValue()));
        INDArray expectedGradient = expectedBoth.getSecond();
        assertClose("kept rows' gradient", expectedGradient, gradient.getRows(kept), 1e-10,
                1e-12 * Math.max(1, expectedGradient.amaxNumber().doubleValue()));
    }

    @Property(tries = 250, seed = "20261204")
    void structurePreservingPermutationsPermuteTheResultsAndInputsAreNeverModified(@ForAll("metrics") Metric c,
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll long seed, @ForAll boolean masked) {
        Batch batch = Batch.of(c, size, seed, 1.0, masked);
        int rows = batch.rows();
        INDArray labels = batch.labels();
        INDArray preOutput = batch.preOutput();
        INDArray mask = batch.mask();
        INDArray labelsCopy = labels.dup();
        INDArray preOutputCopy = preOutput.dup();
        INDArray maskCopy = mask == null ? null : mask.dup();

        ILossFunction loss = c.newLoss();
        INDArray perRow = loss.computeScoreArray(labels, preOutput, c.newActivation(), mask);
        Pair<Double, INDArray> original = loss.computeGradientAndScore(labels, preOutput, c.newActivation(), mask,
                false);
        loss.computeScore(labels, preOutput, c.newActivation(), mask, true);
        loss.computeGradient(labels, preOutput, c.newActivation(), mask);
        assertEquals(labelsCopy, labels, "labels were modified");
        assertEquals(preOutputCopy, preOutput, "preOutput was modified");
        assertEquals(maskCopy, mask, "mask was modified");

        int[] order = permutation(c, rows, new Random(seed + 3));
        INDArray permutedMask = mask == null ? null : mask.getRows(order);
        INDArray permutedPerRow = loss.computeScoreArray(labels.getRows(order), preOutput.getRows(order),
                c.newActivation(), permutedMask);
        Pair<Double, INDArray> permuted = loss.computeGradientAndScore(labels.getRows(order),
                preOutput.getRows(order), c.newActivation(), permutedMask, false);
        double total = original.getFirst();
        assertEquals(total, permuted.getFirst(), 1e-10 * Math.max(1, Math.abs(total)), "total");
        assertClose("values", perRow.getRows(order), permutedPerRow, 1e-10,
                1e-12 * Math.max(1, perRow.amaxNumber().doubleValue()));
        INDArray expectedGradient = original.getSecond().getRows(order);
        assertClose("gradient", expectedGradient, permuted.getSecond(), 1e-10,
                1e-12 * Math.max(1, expectedGradient.amaxNumber().doubleValue()));
    }

    /**
     * A random permutation that keeps the case's structure: any order of a mined batch; for consecutive modes,
     * whole pairs or triplets in any order, the two rows of a pair in either order (the contrastive loss is
     * symmetric), and, with swap, anchor and positive exchanged (margin + d(a,p) - min(d(a,n), d(p,n)) is
     * symmetric in a and p).
     */
    private static int[] permutation(Metric c, int rows, Random random) {
        if (c.minesTheBatch()) {
            List<Integer> order = new ArrayList<>(IntStream.range(0, rows).boxed().toList());
            Collections.shuffle(order, random);
            return order.stream().mapToInt(Integer::intValue).toArray();
        }
        int group = c.group();
        boolean anchorAndPositiveExchange = group == 2 || c.newLoss() instanceof LossTriplet t && t.isSwap();
        List<Integer> groups = new ArrayList<>(IntStream.range(0, rows / group).boxed().toList());
        Collections.shuffle(groups, random);
        int[] order = new int[rows];
        for (int g = 0; g < groups.size(); g++) {
            for (int member = 0; member < group; member++) {
                order[g * group + member] = groups.get(g) * group + member;
            }
            if (anchorAndPositiveExchange && random.nextBoolean()) {
                int first = order[g * group];
                order[g * group] = order[g * group + 1];
                order[g * group + 1] = first;
            }
        }
        return order;
    }

    @Property(tries = 300, seed = "20261205")
    void floatAgreesWithDoubleAwayFromTies(@ForAll("metrics") Metric c,
            @ForAll @IntRange(min = 1, max = 12) int size, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.3, max = 3) double scale, @ForAll boolean masked) {
        Batch batch = Batch.of(c, size, seed, scale, masked);
        int rows = batch.rows();
        INDArray labels = batch.labels();
        INDArray preOutput = batch.preOutput();
        INDArray mask = batch.mask();
        // float's rounding moves a distance by ~1e-7 |x|^2 / d (the in-batch expansion cancels): far below 1e-4
        Assume.that(batch.awayFromTies(c, 1e-4));
        Pair<Double, INDArray> d = c.newLoss().computeGradientAndScore(labels, preOutput, c.newActivation(), mask,
                false);
        Pair<Double, INDArray> f = c.newLoss().computeGradientAndScore(labels.castTo(DataType.FLOAT),
                preOutput.castTo(DataType.FLOAT), c.newActivation(),
                mask == null ? null : mask.castTo(DataType.FLOAT), false);
        assertEquals(DataType.FLOAT, f.getSecond().dataType());
        assertEquals(d.getFirst(), f.getFirst(), 1e-4 * Math.max(1e-2, Math.abs(d.getFirst())), "total");
        assertClose("gradient", d.getSecond(), f.getSecond(), 1e-4,
                1e-5 * Math.max(1, d.getSecond().amaxNumber().doubleValue()));
    }

    /**
     * Whether every comparison that decides which branch of the loss is taken is more than
     * {@code relativeTolerance} x max(1, largest distance) from a tie, so that neither a finite-difference step
     * nor float's rounding crosses a branch. The comparisons are those of a hinge (margin + d(a,p) against the
     * negative distance), of the minings (positives against positives, negatives against negatives), of the
     * semi-hard band (d(a,n) against d(a,p) and d(a,p) + margin) and of swap (d(a,n) against d(p,n)); a superset
     * of them is checked: per anchor every distance and distance + margin against every other, and with swap
     * across anchors as well. A distance near 0 is a kink of the Euclidean distance and is excluded too. The
     * contrastive loss is continuously differentiable in the distance, so only that last condition applies to it.
     */
    static boolean awayFromTies(Metric c, INDArray embeddings, double relativeTolerance) {
        ILossFunction loss = c.newLoss();
        double[][] d = distances(embeddings.castTo(DataType.DOUBLE).toDoubleMatrix(), distance(c));
        int n = d.length;
        double largest = 0;
        for (double[] row : d) {
            for (double value : row) {
                largest = Math.max(largest, value);
            }
        }
        double tolerance = relativeTolerance * Math.max(1, largest);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (d[i][j] < tolerance) {
                    return false;
                }
            }
        }
        if (!(loss instanceof LossTriplet triplet)) {
            return true;
        }
        double margin = triplet.getMargin();
        if (triplet.getMining() == Mining.CONSECUTIVE) {
            for (int a = 0; a + 2 < n; a += 3) {
                List<double[]> compared = new ArrayList<>();
                compared.add(new double[] {d[a][a + 1] + margin, 0});
                compared.add(new double[] {d[a][a + 2], 1});
                if (triplet.isSwap()) {
                    compared.add(new double[] {d[a + 1][a + 2], 2});
                }
                if (!separated(compared, tolerance)) {
                    return false;
                }
            }
            return true;
        }
        List<double[]> all = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            List<double[]> anchor = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != a) {
                    // entries are tagged with their pair, so that d and d + margin of one pair are not compared
                    double pair = Math.min(a, j) * n + Math.max(a, j);
                    anchor.add(new double[] {d[a][j], pair});
                    anchor.add(new double[] {d[a][j] + margin, pair});
                    if (j > a) {
                        all.add(new double[] {d[a][j], pair});
                        all.add(new double[] {d[a][j] + margin, pair});
                    }
                }
            }
            if (!separated(anchor, tolerance)) {
                return false;
            }
        }
        return !triplet.isSwap() || separated(all, tolerance);
    }

    private static Distance distance(Metric c) {
        ILossFunction loss = c.newLoss();
        return loss instanceof LossTriplet t ? t.getDistance() : ((LossContrastive) loss).getDistance();
    }

    /** Whether values ({value, tag}) with different tags are more than {@code tolerance} apart. */
    private static boolean separated(List<double[]> values, double tolerance) {
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                if (values.get(i)[1] != values.get(j)[1]
                        && Math.abs(values.get(i)[0] - values.get(j)[0]) <= tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The [N, N] distances of the rows, computed directly (no expansion) in double. */
    private static double[][] distances(double[][] x, Distance distance) {
        int n = x.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double squared = 0;
                double dot = 0;
                double normI = 0;
                double normJ = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double diff = x[i][k] - x[j][k];
                    squared += diff * diff;
                    dot += x[i][k] * x[j][k];
                    normI += x[i][k] * x[i][k];
                    normJ += x[j][k] * x[j][k];
                }
                d[i][j] = i == j ? 0 : switch (distance) {
                    case EUCLIDEAN -> Math.sqrt(squared);
                    case SQUARED_EUCLIDEAN -> squared;
                    case COSINE -> 1 - dot / Math.sqrt(normI * normJ);
                };
            }
        }
        return d;
    }
}
