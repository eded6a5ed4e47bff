package io.github.losskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** One-hot detection from row maxima and norms, and the range it reports. */
class LabelStatsTest {

    private static final double[] ONE_HOT_ROW = {0, 1, 0};

    /** Rows that share some statistic with a one-hot row but are not one-hot. */
    static Stream<Arguments> notOneHotRows() {
        return Stream.of(
                Arguments.of("soft row", new double[] {0.5, 0.5, 0}),
                Arguments.of("sum 1, max 1, a negative entry", new double[] {1, 1, -1}),
                Arguments.of("sum 1 and sum of squares 1", new double[] {2.0 / 3, 2.0 / 3, -1.0 / 3}),
                Arguments.of("two ones", new double[] {1, 1, 0}),
                Arguments.of("entries that cancel in the row sum", new double[] {1, 0.5, -0.5}),
                Arguments.of("negative maximum", new double[] {-1, -2, -1}),
                Arguments.of("a single 2", new double[] {0, 2, 0}),
                Arguments.of("a single 0.5", new double[] {0, 0.5, 0}),
                Arguments.of("negative only", new double[] {0, -1, 0}),
                Arguments.of("NaN beside a one", new double[] {Double.NaN, 1, 0}),
                Arguments.of("infinity", new double[] {0, Double.POSITIVE_INFINITY, 0}),
                Arguments.of("norm equal to the squared maximum", new double[] {2, -2, -Math.sqrt(8)}),
                // r - m = m - m^2 here: the two conditions' excesses would cancel if they were not taken absolute
                Arguments.of("excesses of opposite sign", new double[] {0.5, -Math.sqrt(0.3125), 0}),
                Arguments.of("a maximum whose square overflows", new double[] {0, 1e20, 0}));
    }

    private static INDArray withRow(double[] row, DataType type) {
        return Nd4j.createFromArray(new double[][] {ONE_HOT_ROW, row, {0, 0, 0}}).castTo(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notOneHotRows")
    void rowsThatAreNotOneHotAreSeen(String what, double[] row) {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.HALF}) {
            LabelStats stats = LabelStats.of(withRow(row, type));
            assertFalse(stats.oneHotOrZeroRows(), what + " in " + type);
        }
    }

    @Test
    void aNegativeOneInASingleColumnIsNotOneHot() {
        // with one column the row maximum is the lone entry, so only m in {0, 1} rules -1 out
        assertFalse(LabelStats.of(Nd4j.createFromArray(new double[][] {{1}, {-1}, {0}})).oneHotOrZeroRows());
    }

    @Test
    void viewsAndColumnMajorLabelsAreDetectedLikeTheirCopies() {
        INDArray wide = Nd4j.createFromArray(new double[][] {{0, 1, 0, 7}, {1, 0, 0, 7}, {0, 0, 0, 7}});
        INDArray oneHotView = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        assertTrue(LabelStats.of(oneHotView).oneHotOrZeroRows());
        assertFalse(LabelStats.of(wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4))).oneHotOrZeroRows());
        assertTrue(LabelStats.of(oneHotView.dup('f')).oneHotOrZeroRows());
        assertFalse(LabelStats.of(wide.dup('f')).oneHotOrZeroRows());
        assertEquals(Nd4j.createFromArray(new double[][] {{1}, {1}, {0}}), LabelStats.of(oneHotView).rowSums());
    }

    @Test
    void oneHotAndZeroRowsAreOneHotWithExactRange() {
        INDArray labels = withRow(new double[] {0, 0, 1}, DataType.FLOAT);
        LabelStats stats = LabelStats.of(labels);
        assertTrue(stats.oneHotOrZeroRows());
        assertEquals(0.0, stats.min());
        assertEquals(1.0, stats.max());
        assertFalse(stats.nan());
        assertEquals(labels.sum(true, 1), stats.rowSums());
    }

    @Test
    void aSingleColumnOfOnesHasMinimumOne() {
        LabelStats stats = LabelStats.of(Nd4j.ones(DataType.DOUBLE, 4, 1));
        assertTrue(stats.oneHotOrZeroRows());
        assertEquals(1.0, stats.min());
    }

    @Test
    void otherLabelsReportTheirRangeAndNaN() {
        LabelStats soft = LabelStats.of(withRow(new double[] {-0.25, 0.5, 1.75}, DataType.DOUBLE));
        assertEquals(-0.25, soft.min());
        assertEquals(1.75, soft.max());
        assertFalse(soft.nan());
        assertTrue(LabelStats.of(withRow(new double[] {Double.NaN, 0.5, 0}, DataType.DOUBLE)).nan());
    }
}
