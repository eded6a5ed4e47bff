package io.github.losskit.core;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Argument checks shared by every loss. Each message names the loss, the argument and, for arrays, the
 * shapes involved, so that a user can tell from the message alone which call was wrong.
 */
public final class Checks {

    private Checks() {
    }

    public static double finite(String loss, String parameter, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(loss + ": " + parameter + " must be finite, got " + value);
        }
        return value;
    }

    public static double nonNegative(String loss, String parameter, double value) {
        finite(loss, parameter, value);
        if (value < 0) {
            throw new IllegalArgumentException(loss + ": " + parameter + " must be >= 0, got " + value);
        }
        return value;
    }

    public static double positive(String loss, String parameter, double value) {
        finite(loss, parameter, value);
        if (value <= 0) {
            throw new IllegalArgumentException(loss + ": " + parameter + " must be > 0, got " + value);
        }
        return value;
    }

    /** A value in [0, 1): label smoothing and similar fractions. */
    public static double fraction(String loss, String parameter, double value) {
        finite(loss, parameter, value);
        if (value < 0 || value >= 1) {
            throw new IllegalArgumentException(loss + ": " + parameter + " must lie in [0, 1), got " + value);
        }
        return value;
    }

    /** A copy of {@code values}, each finite and > 0, or {@code null} when {@code values} is null. */
    public static double[] positiveAll(String loss, String parameter, double[] values) {
        if (values == null) {
            return null;
        }
        if (values.length == 0) {
            throw new IllegalArgumentException(loss + ": " + parameter + " must hold at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || values[i] <= 0) {
                throw new IllegalArgumentException(loss + ": " + parameter + "[" + i + "] must be finite and > 0, got "
                        + values[i] + " in " + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    /** Checks that a per-output parameter has one value per column (or a single value when allowed). */
    public static void perOutputLength(String loss, String parameter, double[] values, long columns,
            boolean singleValueBroadcasts) {
        if (values == null || values.length == columns || (singleValueBroadcasts && values.length == 1)) {
            return;
        }
        throw new IllegalArgumentException(loss + ": " + parameter + " has " + values.length
                + " values but the labels have " + columns + " columns (labels shape "
                + (singleValueBroadcasts ? "[*, " + columns + "]; give 1 or " : "[*, " + columns + "]; give ")
                + columns + " values)");
    }

    public static void sameShape(String loss, String firstName, INDArray first, String secondName,
            INDArray second) {
        if (!Arrays.equals(first.shape(), second.shape())) {
            throw new IllegalArgumentException(loss + ": " + firstName + " shape " + Arrays.toString(first.shape())
                    + " does not match " + secondName + " shape " + Arrays.toString(second.shape()));
        }
    }

    /** A mask is a column [minibatch, 1] (one value per example) or has the labels' shape (one per output). */
    public static void maskShape(String loss, INDArray mask, INDArray labels) {
        if (mask == null) {
            return;
        }
        long[] m = mask.shape();
        long[] l = labels.shape();
        boolean perExample = m.length == 2 && l.length == 2 && m[0] == l[0] && m[1] == 1;
        if (!perExample && !Arrays.equals(m, l)) {
            throw new IllegalArgumentException(loss + ": mask shape " + Arrays.toString(m)
                    + " must be [" + (l.length > 0 ? l[0] : "?") + ", 1] (per example) or the labels' shape "
                    + Arrays.toString(l) + " (per output)");
        }
    }

    public static void rank2(String loss, String name, INDArray array) {
        if (array.rank() != 2) {
            throw new IllegalArgumentException(loss + ": " + name + " must be 2-D [minibatch, outputs], got shape "
                    + Arrays.toString(array.shape()));
        }
    }

    /** Labels must be finite and lie in [low, high]. Reads the labels three times: min, max and a NaN test. */
    public static void labelsInRange(String loss, INDArray labels, double low, double high) {
        if (labels.isEmpty()) {
            return;
        }
        double min = labels.minNumber().doubleValue();
        double max = labels.maxNumber().doubleValue();
        // min/max skip NaN, the sum does not
        boolean nan = Double.isNaN(labels.sumNumber().doubleValue());
        labelsInRange(loss, labels.shape(), min, max, nan, low, high);
    }

    /**
     * As {@link #labelsInRange(String, INDArray, double, double)} without the NaN test, which costs a third pass
     * over the labels: for losses whose finite score already proves that no label is NaN
     * ({@link ElementwiseLoss#checkLabelsGivenFiniteScore}).
     */
    public static void labelsInRangeUnlessNaN(String loss, INDArray labels, double low, double high) {
        if (labels.isEmpty()) {
            return;
        }
        labelsInRange(loss, labels.shape(), labels.minNumber().doubleValue(), labels.maxNumber().doubleValue(),
                false, low, high);
    }

    /** As {@link #labelsInRange(String, INDArray, double, double)}, from statistics already computed. */
    public static void labelsInRange(String loss, LabelStats stats, long[] shape, double low, double high) {
        if (stats.oneHotOrZeroRows() && low <= 0 && high >= 1) {
            // every label is 0 or 1: nothing left to read
            return;
        }
        labelsInRange(loss, shape, stats.min(), stats.max(), stats.nan(), low, high);
    }

    private static void labelsInRange(String loss, long[] shape, double min, double max, boolean nan, double low,
            double high) {
        if (nan || min < low || max > high || Double.isInfinite(min) || Double.isInfinite(max)) {
            String range = Double.isInfinite(low) && Double.isInfinite(high) ? "be finite"
                    : Double.isInfinite(high) ? "be finite and >= " + low
                    : "lie in [" + low + ", " + high + "]";
            throw new IllegalArgumentException(loss + ": labels must " + range
                    + (nan ? " and must not be NaN outside masked positions" : "") + "; found values from " + min
                    + " to " + max + " (labels shape " + Arrays.toString(shape) + ")");
        }
    }

    public static void labelsAtLeast(String loss, INDArray labels, double low) {
        labelsInRange(loss, labels, low, Double.POSITIVE_INFINITY);
    }

    public static void labelsFinite(String loss, INDArray labels) {
        labelsInRange(loss, labels, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }
}
