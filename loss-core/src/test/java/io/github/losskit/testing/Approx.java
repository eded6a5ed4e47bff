package io.github.losskit.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Element-wise closeness with a relative tolerance and an absolute floor for values near zero. */
public final class Approx {

    /** The tolerance of the reference comparisons in double precision. */
    public static final double REFERENCE_RELATIVE = 1e-9;
    public static final double REFERENCE_ABSOLUTE = 1e-12;

    private Approx() {
    }

    public static void assertClose(String what, INDArray expected, INDArray actual, double relative,
            double absolute) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            double tolerance = Math.max(absolute, relative * Math.abs(e[i]));
            if (!(Math.abs(e[i] - a[i]) <= tolerance)) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + " (tolerance "
                        + tolerance + ")");
            }
        }
    }

    public static void assertReferenceClose(String what, INDArray expected, INDArray actual) {
        assertClose(what, expected, actual, REFERENCE_RELATIVE, REFERENCE_ABSOLUTE);
    }

    /** Every element finite. */
    public static void assertFinite(String what, INDArray array) {
        double[] v = array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                fail(what + ": element " + i + " is " + v[i]);
            }
        }
    }
}
