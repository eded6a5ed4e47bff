package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The documented formulas written out with plain doubles, one element at a time, as a reader would check
 * them by hand; the tests compare the library against these.
 */
final class Direct {

    private Direct() {
    }

    static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double[] out = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = z[c] - max - Math.log(sum);
        }
        return out;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** -log sigmoid(x) for moderate x, the way a textbook writes it. */
    static double negLogSigmoid(double x) {
        return -Math.log(sigmoid(x));
    }

    /** Row n of a 2-D array as doubles. */
    static double[] row(INDArray array, int n) {
        return array.getRow(n).castTo(DataType.DOUBLE).toDoubleVector();
    }

    static INDArray doubles(double[][] values) {
        return Nd4j.createFromArray(values);
    }

    /** Compares a [mb, 1] per-example score array with expected values at a relative tolerance. */
    static void assertPerExample(double[] expected, INDArray actual, double relative) {
        assertEquals(expected.length, actual.size(0));
        for (int n = 0; n < expected.length; n++) {
            double a = actual.getDouble(n, 0);
            assertEquals(expected[n], a, relative * Math.max(1, Math.abs(expected[n])), "example " + n);
        }
    }
}
