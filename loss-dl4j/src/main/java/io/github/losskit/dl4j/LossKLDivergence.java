package io.github.losskit.dl4j;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.divergence.KLDivergence;
import io.github.losskit.core.divergence.TargetSpace;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * KL divergence KL(y || softmax(z)) of a target distribution y from the predicted one, with 0 log 0 = 0;
 * targets as probabilities (default) or log-probabilities. Use with {@code Activation.SOFTMAX}; it computes
 * from logits through log-softmax. Its gradient is cross-entropy's; the value differs by the target's
 * entropy, so a perfect prediction scores 0. See {@link KLDivergence}.
 */
public final class LossKLDivergence extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    private final TargetSpace targetSpace;
    private transient KLDivergence math;

    /** Targets are probabilities. */
    public LossKLDivergence() {
        this(TargetSpace.PROBABILITIES);
    }

    @JsonCreator
    public LossKLDivergence(@JsonProperty("targetSpace") TargetSpace targetSpace) {
        this.math = new KLDivergence(targetSpace);
        this.targetSpace = targetSpace;
    }

    public TargetSpace getTargetSpace() {
        return targetSpace;
    }

    private KLDivergence math() {
        if (math == null) {
            math = new KLDivergence(targetSpace);
        }
        return math;
    }

    @Override
    protected LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            Need need) {
        if (OutputActivation.of(activationFn) != OutputActivation.SOFTMAX) {
            throw OutputActivation.unsupported(lossName(), activationFn, "softmax");
        }
        return LossEvaluator.softmax(lossName(), math(), labels, preOutput, mask, need);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossKLDivergence other && targetSpace == other.targetSpace;
    }

    @Override
    public int hashCode() {
        return targetSpace.hashCode();
    }

    @Override
    public String toString() {
        return "LossKLDivergence(" + targetSpace + ")";
    }
}
