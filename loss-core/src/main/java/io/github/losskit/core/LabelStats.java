package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a softmax loss needs to know about a label matrix: whether every row is one-hot or all zero (the rows
 * of masked examples), which lets the loss work per row instead of per element, and the labels' range for
 * validation.
 *
 * <p>One-hot detection reads the labels twice, for each row's maximum m and Euclidean norm r: a row is one-hot
 * or zero exactly when r = m and m is 0 or 1 (an entry of 1 leaves no room in r = 1 for any other non-zero
 * entry; m = 0 = r means all zero). A NaN makes r NaN and the row not one-hot. Both conditions are checked
 * at once on the [minibatch, 1] columns, as one sum of |r - m| + |m^2 - m|, which is 0 exactly when every
 * term is. At small sizes what a check costs is the arrays it creates (see docs/benchmarks/optimizations.md),
 * so the column arithmetic runs in place. For one-hot matrices the range follows from m without reading the
 * labels again; only other labels pay for the min, max and NaN reductions, and only when a check asks for
 * them.
 */
public final class LabelStats {

    private final INDArray labels;
    private final INDArray rowMax;
    private final boolean oneHotOrZeroRows;
    private Double min;
    private Double max;
    private Boolean nan;

    private LabelStats(INDArray labels, INDArray rowMax, boolean oneHotOrZeroRows) {
        this.labels = labels;
        this.rowMax = rowMax;
        this.oneHotOrZeroRows = oneHotOrZeroRows;
    }

    public static LabelStats of(INDArray labels) {
        INDArray rowMax = labels.max(true, 1);
        INDArray normExcess = Transforms.abs(labels.norm2(true, 1).subi(rowMax), false);
        INDArray maxOffUnit = Transforms.abs(rowMax.mul(rowMax).subi(rowMax), false);
        // non-negative terms: the sum is 0 only when all are, and NaN (from a NaN label, or inf - inf from an
        // infinite one) propagates through it, so such a row fails the test
        boolean oneHot = normExcess.addi(maxOffUnit).sumNumber().doubleValue() == 0;
        return new LabelStats(labels, rowMax, oneHot);
    }

    public boolean oneHotOrZeroRows() {
        return oneHotOrZeroRows;
    }

    /** Each row's sum [minibatch, 1], 1 or 0; only defined when {@link #oneHotOrZeroRows()}. */
    public INDArray rowSums() {
        if (!oneHotOrZeroRows) {
            throw new IllegalStateException("row sums are only kept for one-hot labels");
        }
        return rowMax;
    }

    /** The smallest label (NaN skipped). */
    public double min() {
        if (min == null) {
            min = oneHotOrZeroRows && labels.size(1) > 1 ? 0.0
                    : oneHotOrZeroRows ? rowMax.minNumber().doubleValue() : labels.minNumber().doubleValue();
        }
        return min;
    }

    /** The largest label (NaN skipped). */
    public double max() {
        if (max == null) {
            max = (oneHotOrZeroRows ? rowMax : labels).maxNumber().doubleValue();
        }
        return max;
    }

    /** Whether any label is NaN. */
    public boolean nan() {
        if (nan == null) {
            // min and max skip NaN, the sum does not
            nan = !oneHotOrZeroRows && Double.isNaN(labels.sumNumber().doubleValue());
        }
        return nan;
    }
}
