package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What three reductions over a label matrix tell: its range, whether it holds NaN, and whether every row is
 * one-hot or all zero (the rows of masked examples), which lets softmax losses work per row instead of per
 * element.
 *
 * @param rowSums each row's sum [minibatch, 1] (NaN where the row holds NaN)
 */
public record LabelStats(double min, double max, boolean nan, boolean oneHotOrZeroRows, INDArray rowSums) {

    public static LabelStats of(INDArray labels) {
        INDArray rowSums = labels.sum(true, 1);
        INDArray rowMax = labels.max(true, 1);
        double min = labels.minNumber().doubleValue();
        // min and max skip NaN; a NaN anywhere makes its row sum NaN
        boolean nan = Double.isNaN(rowSums.sumNumber().doubleValue());
        double max = rowMax.maxNumber().doubleValue();
        // with no negative entries, a row whose maximum equals its sum and is 0 or 1 is one-hot or all zero
        boolean oneHot = !nan && min >= 0 && max <= 1
                && rowSums.sub(rowMax).amaxNumber().doubleValue() == 0
                && rowMax.mul(rowMax.rsub(1.0)).amaxNumber().doubleValue() == 0;
        return new LabelStats(min, max, nan, oneHot, rowSums);
    }
}
