package io.github.losskit.core.classification;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseLoss;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary cross-entropy from logits, one independent term per output (multi-label):
 * l = -[w_pos y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], with PyTorch's {@code pos_weight} semantics
 * for w_pos and label smoothing y' = y (1 - eps) + eps / 2 (Keras' binary convention: labels move towards
 * 0.5). Per-output weights are applied by the shared evaluator.
 *
 * <p>Written with softplus instead of logarithms of probabilities:
 * -log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x) = x + softplus(-x), so
 * l = (1 - y) x + (1 + (w_pos - 1) y) softplus(-x), finite for any finite logit.
 */
public final class BinaryCrossEntropy implements ElementwiseLoss {

    static final String NAME = "BinaryCrossEntropy";

    private final double[] positiveWeight;
    private final double[] outputWeights;
    private final double labelSmoothing;

    /**
     * @param positiveWeight one weight for all outputs or one per output (> 0), or {@code null}
     * @param outputWeights  one weight per output (> 0), or {@code null}
     * @param labelSmoothing eps in [0, 1)
     */
    public BinaryCrossEntropy(double[] positiveWeight, double[] outputWeights, double labelSmoothing) {
        this.positiveWeight = Checks.positiveAll(NAME, "posWeight", positiveWeight);
        this.outputWeights = Checks.positiveAll(NAME, "weights", outputWeights);
        this.labelSmoothing = Checks.fraction(NAME, "labelSmoothing", labelSmoothing);
    }

    public double[] positiveWeight() {
        return positiveWeight == null ? null : positiveWeight.clone();
    }

    public double[] outputWeights() {
        return outputWeights == null ? null : outputWeights.clone();
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** Per-output weights as a row [1, outputs] in the data type of {@code like}, or {@code null}. */
    public INDArray outputWeightRow(INDArray like) {
        Checks.perOutputLength(NAME, "weights", outputWeights, like.size(1), false);
        return outputWeights == null ? null : StableMath.row(outputWeights, like);
    }

    @Override
    public void checkLabels(String lossName, INDArray labels) {
        Checks.labelsInRange(lossName, labels, 0, 1);
    }

    /** A NaN label makes its term, x y included, NaN: the score tells. */
    @Override
    public void checkLabelsGivenFiniteScore(String lossName, INDArray labels) {
        Checks.labelsInRangeUnlessNaN(lossName, labels, 0, 1);
    }

    @Override
    public ElementwiseTerms terms(INDArray labels, INDArray logits, Need need) {
        Checks.perOutputLength(NAME, "posWeight", positiveWeight, labels.size(1), true);
        INDArray y = labelSmoothing == 0 ? labels : labels.mul(1 - labelSmoothing).addi(labelSmoothing / 2);
        // weight of the softplus(-x) term: 1 + (w_pos - 1) y, which is 1 without positive weights
        INDArray negLogSigmoidWeight = null;
        if (positiveWeight != null) {
            INDArray pwMinusOne = StableMath.row(positiveWeight, labels).subi(1.0);
            negLogSigmoidWeight = positiveWeight.length == 1
                    ? y.mul(positiveWeight[0] - 1).addi(1.0)
                    : Broadcast.mul(y, pwMinusOne, null).addi(1.0);
        }
        // one sigmoid serves both: the gradient needs it, and the score's softplus is derived from it
        INDArray p = Transforms.sigmoid(logits, true);
        // 1 - p serves the score's softplus and, with positive weights, the gradient
        INDArray oneMinusP = need.score() || negLogSigmoidWeight != null ? p.rsub(1.0) : null;
        INDArray values = null;
        if (need.score()) {
            if (negLogSigmoidWeight == null) {
                // l = softplus(x) - x y
                values = StableMath.addScaledInPlace(StableMath.softplusFromSigmoid(logits, p, oneMinusP), -1.0,
                        logits.mul(y));
            } else {
                // l = (1 - y) x + w softplus(-x), with softplus(-x) = softplus(x) - x
                INDArray softplusNeg = StableMath.softplusFromSigmoid(logits, p, oneMinusP).subi(logits)
                        .muli(negLogSigmoidWeight);
                values = y.rsub(1.0).muli(logits).addi(softplusNeg);
            }
        }
        INDArray derivatives = null;
        if (need.gradient()) {
            if (negLogSigmoidWeight == null) {
                // d/dx = sigmoid(x) - y
                derivatives = StableMath.addScaledInPlace(p, -1.0, y);
            } else {
                // d/dx = (1 - y) - (1 + (w_pos - 1) y) sigmoid(-x)
                derivatives = y.rsub(1.0).subi(oneMinusP.muli(negLogSigmoidWeight));
            }
        }
        return new ElementwiseTerms(values, derivatives);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryCrossEntropy other && labelSmoothing == other.labelSmoothing
                && Arrays.equals(positiveWeight, other.positiveWeight)
                && Arrays.equals(outputWeights, other.outputWeights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labelSmoothing, Arrays.hashCode(positiveWeight), Arrays.hashCode(outputWeights));
    }

    @Override
    public String toString() {
        return "BinaryCrossEntropy(posWeight=" + Arrays.toString(positiveWeight) + ", weights="
                + Arrays.toString(outputWeights) + ", labelSmoothing=" + labelSmoothing + ")";
    }
}
