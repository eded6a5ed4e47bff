package io.github.losskit.dl4j;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.classification.Focal;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Focal loss (Lin et al. 2017) for imbalanced classification; the output activation chooses the form:
 * <ul>
 *   <li>{@code Activation.SOFTMAX}: multi-class, -sum_c alpha_c y_c (1 - p_c)^gamma log p_c; alpha is a
 *       scalar multiplying every class or one value per class; soft labels allowed.</li>
 *   <li>{@code Activation.SIGMOID}: one binary term per output, exactly torchvision's
 *       {@code sigmoid_focal_loss}: alpha weighs positives and 1 - alpha negatives.</li>
 * </ul>
 * Defaults gamma = 2, alpha = 0.25; a negative alpha disables the alpha factor. See {@link Focal}.
 *
 * <pre>{@code
 * new OutputLayer.Builder()
 *     .lossFunction(LossFocal.builder().gamma(2).alpha(0.25).build())
 *     .activation(Activation.SOFTMAX).nIn(32).nOut(2).build();
 * }</pre>
 */
public final class LossFocal extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    private final double gamma;
    private final double[] alpha;
    private transient Focal math;

    /** gamma = 2, alpha = 0.25. */
    public LossFocal() {
        this(Focal.DEFAULT_GAMMA, new double[] {Focal.DEFAULT_ALPHA});
    }

    /**
     * @param gamma focusing parameter, >= 0
     * @param alpha one value (negative disables it) or one positive value per class
     */
    @JsonCreator
    public LossFocal(@JsonProperty("gamma") double gamma, @JsonProperty("alpha") double[] alpha) {
        this.math = new Focal(gamma, alpha);
        this.gamma = gamma;
        this.alpha = math.alpha();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getGamma() {
        return gamma;
    }

    public double[] getAlpha() {
        return alpha.clone();
    }

    private Focal math() {
        if (math == null) { // after Java deserialization
            math = new Focal(gamma, alpha);
        }
        return math;
    }

    @Override
    protected LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            Need need) {
        return switch (OutputActivation.of(activationFn)) {
            case SOFTMAX -> LossEvaluator.softmax(lossName(), math().multiClass(), labels, preOutput, mask, need);
            case SIGMOID -> LossEvaluator.elementwise(lossName(), math().binary(), labels, preOutput, mask, null,
                    need);
            case OTHER -> throw OutputActivation.unsupported(lossName(), activationFn, "softmax or sigmoid");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossFocal other && gamma == other.gamma && Arrays.equals(alpha, other.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gamma, Arrays.hashCode(alpha));
    }

    @Override
    public String toString() {
        return "LossFocal(gamma=" + gamma + ", alpha=" + Arrays.toString(alpha) + ")";
    }

    /** Builds a {@link LossFocal}; parameters are checked by {@link #build()}. */
    public static final class Builder {
        private double gamma = Focal.DEFAULT_GAMMA;
        private double[] alpha = {Focal.DEFAULT_ALPHA};

        /** Focusing parameter gamma >= 0 (default 2); 0 removes the modulating factor. */
        public Builder gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /**
         * One alpha (default 0.25; negative disables the factor) or one positive alpha per class. With a
         * sigmoid activation alpha weighs positives and 1 - alpha negatives, so values must lie in [0, 1].
         */
        public Builder alpha(double... alpha) {
            this.alpha = alpha == null ? null : alpha.clone();
            return this;
        }

        /** No alpha factor: the same as {@code alpha(-1)}. */
        public Builder noAlpha() {
            this.alpha = new double[] {-1.0};
            return this;
        }

        public LossFocal build() {
            return new LossFocal(gamma, alpha);
        }
    }
}
