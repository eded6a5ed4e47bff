package io.github.losskit.core.metric;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.testing.FiniteDifferences;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The distances: the matrix expansion against differences, their gradients, and zero distance. */
class DistanceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray random(long seed, int rows, int columns) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, rows, columns);
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void theMatrixEqualsRowByRowDistancesAndHasAZeroDiagonal(Distance distance) {
        INDArray x = random(1, 6, 4);
        INDArray matrix = distance.pairwise(x).values();
        for (int i = 0; i < 6; i++) {
            INDArray others = distance.rowwise(x.getRow(i, true).repeat(0, 6), x).values();
            assertClose("row " + i, others.reshape(1, 6), matrix.getRow(i, true), 1e-12, 1e-12);
            assertEquals(0.0, matrix.getDouble(i, i), 0.0);
        }
        assertEquals(matrix, matrix.transpose());
    }

    @Test
    void valuesOnAHandCheckedExample() {
        INDArray x = Nd4j.createFromArray(new double[][] {{3, 0}, {0, 4}, {-6, 0}});
        assertClose("euclidean", Nd4j.createFromArray(new double[][] {{0, 5, 9}, {5, 0, Math.sqrt(52)},
                {9, Math.sqrt(52), 0}}), Distance.EUCLIDEAN.pairwise(x).values(), 1e-15, 1e-15);
        assertClose("squared", Nd4j.createFromArray(new double[][] {{0, 25, 81}, {25, 0, 52}, {81, 52, 0}}),
                Distance.SQUARED_EUCLIDEAN.pairwise(x).values(), 1e-15, 1e-14);
        assertClose("cosine", Nd4j.createFromArray(new double[][] {{0, 1, 2}, {1, 0, 1}, {2, 1, 0}}),
                Distance.COSINE.pairwise(x).values(), 1e-15, 1e-15);
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void theMatrixGradientEqualsFiniteDifferences(Distance distance) {
        INDArray x = random(2, 5, 3);
        INDArray weights = random(3, 5, 5);
        INDArray numeric = FiniteDifferences.gradient(
                e -> distance.pairwise(e).values().mul(weights).sumNumber().doubleValue(), x, 1e-6);
        assertClose("gradient", numeric, distance.pairwise(x).backward(weights), 1e-6, 1e-8);
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void theRowGradientsEqualFiniteDifferences(Distance distance) {
        INDArray a = random(4, 5, 3);
        INDArray b = random(5, 5, 3);
        INDArray weights = random(6, 5, 1);
        INDArray[] analytic = distance.rowwise(a, b).backward(weights);
        assertClose("d/da", FiniteDifferences.gradient(
                e -> distance.rowwise(e, b).values().mul(weights).sumNumber().doubleValue(), a, 1e-6),
                analytic[0], 1e-6, 1e-8);
        assertClose("d/db", FiniteDifferences.gradient(
                e -> distance.rowwise(a, e).values().mul(weights).sumNumber().doubleValue(), b, 1e-6),
                analytic[1], 1e-6, 1e-8);
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void equalAndZeroEmbeddingsHaveFiniteGradients(Distance distance) {
        INDArray x = random(7, 5, 3);
        x.getRow(1).assign(x.getRow(0));
        x.getRow(4).assign(0.0);
        INDArray weights = random(8, 5, 5);
        PairwiseDistances matrix = distance.pairwise(x);
        assertFinite("values", matrix.values());
        assertFinite("gradient", matrix.backward(weights));
        assertEquals(0.0, matrix.values().getDouble(0, 1), distance == Distance.EUCLIDEAN ? 1e-7 : 1e-14);
        INDArray[] rows = distance.rowwise(x, x.getRows(1, 0, 2, 4, 4)).backward(weights.getColumn(0, true));
        assertFinite("d/da", rows[0]);
        assertFinite("d/db", rows[1]);
        INDArray same = distance.rowwise(x.getRows(0, 4), x.getRows(1, 4)).values();
        assertEquals(0.0, same.getDouble(0), 0.0, "equal rows are exactly 0 apart from their difference");
    }

    @Test
    void theEuclideanGradientAtZeroDistanceIsZero() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {1, 2}});
        INDArray[] rows = Distance.EUCLIDEAN.rowwise(x.getRows(0), x.getRows(1)).backward(Nd4j.ones(1, 1));
        assertEquals(0.0, rows[0].norm1Number().doubleValue());
        assertEquals(0.0, Distance.EUCLIDEAN.pairwise(x).backward(Nd4j.ones(2, 2)).norm1Number().doubleValue());
    }
}
