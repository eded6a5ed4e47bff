package io.github.losskit.core.divergence;

import io.github.losskit.core.Checks;
import io.github.losskit.core.LabelStats;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.SoftmaxLoss;
import io.github.losskit.core.StableMath;
import io.github.losskit.core.classification.CrossEntropy;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Kullback-Leibler divergence KL(y || p) = sum_c y_c (log y_c - log p_c) of a target distribution y from
 * p = softmax(logits), with 0 log 0 = 0. It is cross-entropy minus the target's entropy, so its gradient is
 * cross-entropy's, p sum(y) - y; the entropy part is a per-example constant.
 */
public final class KLDivergence implements SoftmaxLoss {

    static final String NAME = "KLDivergence";

    private static final CrossEntropy CROSS_ENTROPY = new CrossEntropy(0.0, null);

    private final TargetSpace targetSpace;

    public KLDivergence(TargetSpace targetSpace) {
        if (targetSpace == null) {
            throw new IllegalArgumentException(NAME + ": targetSpace must not be null");
        }
        this.targetSpace = targetSpace;
    }

    public TargetSpace targetSpace() {
        return targetSpace;
    }

    @Override
    public void checkLabels(String lossName, INDArray labels, LabelStats stats) {
        if (targetSpace == TargetSpace.PROBABILITIES) {
            Checks.labelsInRange(lossName, stats, labels.shape(), 0, 1);
            return;
        }
        // log-probabilities: <= 0; -infinity (probability 0) is allowed, NaN is not
        double max = stats.max();
        if (stats.nan() || max > 0) {
            throw new IllegalArgumentException(lossName + ": log-probability labels must be <= 0 and not NaN; found a"
                    + " maximum of " + max + " (labels shape " + Arrays.toString(labels.shape()) + ")");
        }
    }

    @Override
    public INDArray targets(INDArray labels) {
        return targetSpace == TargetSpace.PROBABILITIES ? labels : Transforms.exp(labels, true);
    }

    @Override
    public INDArray constantTerms(INDArray labels) {
        return targetSpace == TargetSpace.PROBABILITIES
                ? StableMath.xLogX(labels, Transforms.log(labels, true))
                : StableMath.xLogX(Transforms.exp(labels, true), labels);
    }

    @Override
    public LossResult evaluate(INDArray targets, INDArray logits, Need need) {
        return CROSS_ENTROPY.evaluate(targets, logits, need);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KLDivergence other && targetSpace == other.targetSpace;
    }

    @Override
    public int hashCode() {
        return targetSpace.hashCode();
    }

    @Override
    public String toString() {
        return "KLDivergence(" + targetSpace + ")";
    }
}
