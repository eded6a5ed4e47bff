package io.github.losskit.samediff.layers;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.samediff.SDLosses;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * The loss of one task of an {@link UncertaintyWeightedOutputLayer}, as a value that a network's JSON can hold:
 * the parameters of a LossKit loss, built into the graph with {@link SDLosses}. The factories name the losses
 * and their parameters as the DL4J classes do ({@code TaskLoss.crossEntropy()} is {@code new LossCrossEntropy()},
 * {@code TaskLoss.smoothL1(0.5)} is {@code new LossSmoothL1(0.5)}), and the math is the same.
 *
 * <p>The classification losses and the KL divergence compute from logits and fix the task's activation
 * ({@code SOFTMAX} or {@code SIGMOID}); the regression and margin losses take the task's activation applied to its
 * columns, any activation with a SameDiff form ({@code IDENTITY} is usual).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public sealed interface TaskLoss extends Serializable {

    /**
     * The task's loss summed over the minibatch and over the task's columns, a scalar.
     *
     * @param labels     the task's labels [minibatch, columns]
     * @param preOutput  the task's pre-activations [minibatch, columns]
     * @param activation the task's activation, already accepted by {@link #checkActivation}
     */
    SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation);

    /** Refuses, with an IllegalArgumentException naming {@code task}, an activation this loss cannot use. */
    void checkActivation(String task, Activation activation);

    /** Softmax cross-entropy, no label smoothing or class weights ({@code LossCrossEntropy}). */
    static TaskLoss crossEntropy() {
        return new CrossEntropy(0.0, null);
    }

    /** Softmax cross-entropy with label smoothing eps in [0, 1) and optional class weights. */
    static TaskLoss crossEntropy(double labelSmoothing, double... classWeights) {
        return new CrossEntropy(labelSmoothing, classWeights == null || classWeights.length == 0 ? null
                : classWeights);
    }

    /** Sigmoid binary cross-entropy per output, no weights or smoothing ({@code LossBinaryCrossEntropy}). */
    static TaskLoss binaryCrossEntropy() {
        return new BinaryCrossEntropy(null, null, 0.0);
    }

    /** Focal loss (softmax or sigmoid form, chosen by the task's activation), as {@code LossFocal}. */
    static TaskLoss focal(double gamma, double... alpha) {
        return new Focal(gamma, alpha);
    }

    /** KL divergence from probability targets ({@code LossKLDivergence}). */
    static TaskLoss klDivergence() {
        return new KLDivergence(TargetSpace.PROBABILITIES);
    }

    static TaskLoss klDivergence(TargetSpace targetSpace) {
        return new KLDivergence(targetSpace);
    }

    /** Huber loss with the given delta ({@code LossHuber}). */
    static TaskLoss huber(double delta) {
        return new Huber(delta, null);
    }

    /** Smooth L1 loss with beta = 1 ({@code LossSmoothL1}). */
    static TaskLoss smoothL1() {
        return new SmoothL1(io.github.losskit.core.regression.SmoothL1.DEFAULT_BETA, null);
    }

    static TaskLoss smoothL1(double beta) {
        return new SmoothL1(beta, null);
    }

    /** Log-cosh loss ({@code LossLogCosh}). */
    static TaskLoss logCosh() {
        return new LogCosh(null);
    }

    /** A margin loss on -1/+1 or 0/1 labels ({@code LossMargin}). */
    static TaskLoss margin(MarginFunction function, MarginLabels labels) {
        return new Margin(function, labels);
    }

    private static void requireActivation(String task, String loss, Activation activation, Activation... accepted) {
        if (!Arrays.asList(accepted).contains(activation)) {
            throw new IllegalArgumentException("UncertaintyWeightedOutputLayer: task '" + task + "': " + loss
                    + " computes from logits and needs the task's activation to be "
                    + String.join(" or ", Arrays.stream(accepted).map(a -> "Activation." + a).toList()) + "; got "
                    + activation);
        }
    }

    private static double[] copy(double[] values) {
        return values == null ? null : values.clone();
    }

    /** Softmax cross-entropy; see {@link io.github.losskit.core.classification.CrossEntropy}. */
    record CrossEntropy(@JsonProperty("labelSmoothing") double labelSmoothing,
            @JsonProperty("classWeights") double[] classWeights) implements TaskLoss {

        public CrossEntropy {
            classWeights = copy(classWeights);
            config(labelSmoothing, classWeights);
        }

        private static io.github.losskit.core.classification.CrossEntropy config(double eps, double[] weights) {
            return new io.github.losskit.core.classification.CrossEntropy(eps, weights);
        }

        @Override
        public double[] classWeights() {
            return copy(classWeights);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.crossEntropy(null, labels, preOutput, null, LossReduce.SUM,
                    config(labelSmoothing, classWeights));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
            requireActivation(task, "cross-entropy", activation, Activation.SOFTMAX);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CrossEntropy other && labelSmoothing == other.labelSmoothing
                    && Arrays.equals(classWeights, other.classWeights);
        }

        @Override
        public int hashCode() {
            return Objects.hash(labelSmoothing, Arrays.hashCode(classWeights));
        }

        @Override
        public String toString() {
            return "CrossEntropy(labelSmoothing=" + labelSmoothing + ", classWeights=" + Arrays.toString(classWeights)
                    + ")";
        }
    }

    /** Sigmoid binary cross-entropy; see {@link io.github.losskit.core.classification.BinaryCrossEntropy}. */
    record BinaryCrossEntropy(@JsonProperty("positiveWeight") double[] positiveWeight,
            @JsonProperty("outputWeights") double[] outputWeights,
            @JsonProperty("labelSmoothing") double labelSmoothing) implements TaskLoss {

        public BinaryCrossEntropy {
            positiveWeight = copy(positiveWeight);
            outputWeights = copy(outputWeights);
            config(positiveWeight, outputWeights, labelSmoothing);
        }

        private static io.github.losskit.core.classification.BinaryCrossEntropy config(double[] positiveWeight,
                double[] outputWeights, double labelSmoothing) {
            return new io.github.losskit.core.classification.BinaryCrossEntropy(positiveWeight, outputWeights,
                    labelSmoothing);
        }

        @Override
        public double[] positiveWeight() {
            return copy(positiveWeight);
        }

        @Override
        public double[] outputWeights() {
            return copy(outputWeights);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.binaryCrossEntropy(null, labels, preOutput, null, LossReduce.SUM,
                    config(positiveWeight, outputWeights, labelSmoothing));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
            requireActivation(task, "binary cross-entropy", activation, Activation.SIGMOID);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BinaryCrossEntropy other && Arrays.equals(positiveWeight, other.positiveWeight)
                    && Arrays.equals(outputWeights, other.outputWeights) && labelSmoothing == other.labelSmoothing;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(positiveWeight), Arrays.hashCode(outputWeights), labelSmoothing);
        }

        @Override
        public String toString() {
            return "BinaryCrossEntropy(positiveWeight=" + Arrays.toString(positiveWeight) + ", outputWeights="
                    + Arrays.toString(outputWeights) + ", labelSmoothing=" + labelSmoothing + ")";
        }
    }

    /** Focal loss, softmax or sigmoid by the task's activation; see {@link io.github.losskit.core.classification.Focal}. */
    record Focal(@JsonProperty("gamma") double gamma, @JsonProperty("alpha") double[] alpha) implements TaskLoss {

        public Focal {
            alpha = copy(alpha);
            config(gamma, alpha);
        }

        private static io.github.losskit.core.classification.Focal config(double gamma, double[] alpha) {
            return new io.github.losskit.core.classification.Focal(gamma, alpha);
        }

        @Override
        public double[] alpha() {
            return copy(alpha);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            io.github.losskit.core.classification.Focal config = config(gamma, alpha);
            return activation == Activation.SOFTMAX
                    ? losses.focal(null, labels, preOutput, null, LossReduce.SUM, config)
                    : losses.binaryFocal(null, labels, preOutput, null, LossReduce.SUM, config);
        }

        @Override
        public void checkActivation(String task, Activation activation) {
            requireActivation(task, "focal loss", activation, Activation.SOFTMAX, Activation.SIGMOID);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Focal other && gamma == other.gamma && Arrays.equals(alpha, other.alpha);
        }

        @Override
        public int hashCode() {
            return Objects.hash(gamma, Arrays.hashCode(alpha));
        }

        @Override
        public String toString() {
            return "Focal(gamma=" + gamma + ", alpha=" + Arrays.toString(alpha) + ")";
        }
    }

    /** KL divergence from target distributions; see {@link io.github.losskit.core.divergence.KLDivergence}. */
    record KLDivergence(@JsonProperty("targetSpace") TargetSpace targetSpace) implements TaskLoss {

        public KLDivergence {
            new io.github.losskit.core.divergence.KLDivergence(targetSpace);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.klDivergence(null, labels, preOutput, null, LossReduce.SUM, targetSpace);
        }

        @Override
        public void checkActivation(String task, Activation activation) {
            requireActivation(task, "KL divergence", activation, Activation.SOFTMAX);
        }
    }

    /** Huber loss of activation(preOutput) - label; see {@link io.github.losskit.core.regression.Huber}. */
    record Huber(@JsonProperty("delta") double delta, @JsonProperty("outputWeights") double[] outputWeights)
            implements TaskLoss {

        public Huber {
            outputWeights = copy(outputWeights);
            new io.github.losskit.core.regression.Huber(delta, outputWeights);
        }

        @Override
        public double[] outputWeights() {
            return copy(outputWeights);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.huber(null, labels, activate(preOutput, activation), null, LossReduce.SUM,
                    new io.github.losskit.core.regression.Huber(delta, outputWeights));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Huber other && delta == other.delta && Arrays.equals(outputWeights, other.outputWeights);
        }

        @Override
        public int hashCode() {
            return Objects.hash(delta, Arrays.hashCode(outputWeights));
        }

        @Override
        public String toString() {
            return "Huber(delta=" + delta + ", outputWeights=" + Arrays.toString(outputWeights) + ")";
        }
    }

    /** Smooth L1 loss of activation(preOutput) - label; see {@link io.github.losskit.core.regression.SmoothL1}. */
    record SmoothL1(@JsonProperty("beta") double beta, @JsonProperty("outputWeights") double[] outputWeights)
            implements TaskLoss {

        public SmoothL1 {
            outputWeights = copy(outputWeights);
            new io.github.losskit.core.regression.SmoothL1(beta, outputWeights);
        }

        @Override
        public double[] outputWeights() {
            return copy(outputWeights);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.smoothL1(null, labels, activate(preOutput, activation), null, LossReduce.SUM,
                    new io.github.losskit.core.regression.SmoothL1(beta, outputWeights));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SmoothL1 other && beta == other.beta && Arrays.equals(outputWeights, other.outputWeights);
        }

        @Override
        public int hashCode() {
            return Objects.hash(beta, Arrays.hashCode(outputWeights));
        }

        @Override
        public String toString() {
            return "SmoothL1(beta=" + beta + ", outputWeights=" + Arrays.toString(outputWeights) + ")";
        }
    }

    /** Log-cosh loss of activation(preOutput) - label; see {@link io.github.losskit.core.regression.LogCosh}. */
    record LogCosh(@JsonProperty("outputWeights") double[] outputWeights) implements TaskLoss {

        public LogCosh {
            outputWeights = copy(outputWeights);
            new io.github.losskit.core.regression.LogCosh(outputWeights);
        }

        @Override
        public double[] outputWeights() {
            return copy(outputWeights);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.logCosh(null, labels, activate(preOutput, activation), null, LossReduce.SUM,
                    new io.github.losskit.core.regression.LogCosh(outputWeights));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LogCosh other && Arrays.equals(outputWeights, other.outputWeights);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(outputWeights);
        }

        @Override
        public String toString() {
            return "LogCosh(outputWeights=" + Arrays.toString(outputWeights) + ")";
        }
    }

    /** A margin loss of the scores activation(preOutput); see {@link io.github.losskit.core.margin.MarginLoss}. */
    record Margin(@JsonProperty("function") MarginFunction function, @JsonProperty("labels") MarginLabels labels)
            implements TaskLoss {

        public Margin {
            new io.github.losskit.core.margin.MarginLoss(function, labels);
        }

        @Override
        public SDVariable sum(SDLosses losses, SDVariable labels, SDVariable preOutput, Activation activation) {
            return losses.margin(null, labels, activate(preOutput, activation), null, LossReduce.SUM,
                    new io.github.losskit.core.margin.MarginLoss(function, this.labels));
        }

        @Override
        public void checkActivation(String task, Activation activation) {
        }
    }

    private static SDVariable activate(SDVariable preOutput, Activation activation) {
        return activation == Activation.IDENTITY ? preOutput : activation.asSameDiff(preOutput.getSameDiff(), preOutput);
    }
}
