package io.github.losskit.core.margin;

import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseLoss;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A margin loss phi(y f) per output, for a score f and a label y in {-1, +1} (or {0, 1} when so
 * configured). The derivative with respect to the score is y phi'(y f).
 */
public final class MarginLoss implements ElementwiseLoss {

    static final String NAME = "Margin";

    private final MarginFunction function;
    private final MarginLabels labels;

    public MarginLoss(MarginFunction function, MarginLabels labels) {
        if (function == null) {
            throw new IllegalArgumentException(NAME + ": function must not be null");
        }
        if (labels == null) {
            throw new IllegalArgumentException(NAME + ": labels must not be null");
        }
        this.function = function;
        this.labels = labels;
    }

    public MarginFunction function() {
        return function;
    }

    public MarginLabels labels() {
        return labels;
    }

    @Override
    public double maskedLabel() {
        return 1.0;
    }

    @Override
    public void checkLabels(String lossName, INDArray y) {
        if (!y.isEmpty() && Double.isNaN(y.sumNumber().doubleValue())) {
            Checks.labelsInRange(lossName, y, labels == MarginLabels.ZERO_ONE ? 0 : -1, 1);
        }
        checkLabelsGivenFiniteScore(lossName, y);
    }

    /** A NaN label makes its margin NaN, and every margin function keeps it: the score tells. */
    @Override
    public void checkLabelsGivenFiniteScore(String lossName, INDArray y) {
        if (y.isEmpty()) {
            return;
        }
        if (labels == MarginLabels.ZERO_ONE) {
            Checks.labelsInRangeUnlessNaN(lossName, y, 0, 1);
            double nearestToHalf = Transforms.abs(y.sub(0.5), false).minNumber().doubleValue();
            if (nearestToHalf != 0.5) {
                throw new IllegalArgumentException(lossName + ": labels must be 0 or 1 (MarginLabels.ZERO_ONE);"
                        + " found " + (0.5 - nearestToHalf) + " or " + (0.5 + nearestToHalf) + " (labels shape "
                        + Arrays.toString(y.shape()) + ")");
            }
            return;
        }
        // every |y| is 1 exactly when the smallest and largest magnitudes are 1: two reductions and no |y| array
        double smallestMagnitude = y.aminNumber().doubleValue();
        if (smallestMagnitude != 1.0 || y.amaxNumber().doubleValue() != 1.0) {
            Checks.labelsInRangeUnlessNaN(lossName, y, -1, 1);
            throw new IllegalArgumentException(lossName + ": labels must be -1 or +1; found +-" + smallestMagnitude
                    + " (labels shape " + Arrays.toString(y.shape()) + "). For 0/1 labels use MarginLabels.ZERO_ONE");
        }
    }

    @Override
    public ElementwiseTerms terms(INDArray y, INDArray scores, Need need) {
        INDArray sign = labels == MarginLabels.ZERO_ONE ? y.mul(2.0).subi(1.0) : y;
        INDArray margin = scores.mul(sign);
        ElementwiseTerms atMargin = function.terms(margin, need);
        INDArray derivatives = need.gradient() ? atMargin.derivatives().muli(sign) : null;
        return new ElementwiseTerms(atMargin.values(), derivatives);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MarginLoss other && function == other.function && labels == other.labels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, labels);
    }

    @Override
    public String toString() {
        return "Margin(" + function + ", " + labels + ")";
    }
}
