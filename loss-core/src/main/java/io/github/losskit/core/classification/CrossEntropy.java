package io.github.losskit.core.classification;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.Checks;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.Softmax;
import io.github.losskit.core.OneHotSoftmaxLoss;
import io.github.losskit.core.RowSoftmax;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax cross-entropy from logits: per example -sum_c w_c y'_c log softmax(z)_c, where
 * y' = (1 - eps) y + eps / K is the label-smoothed target over K classes (the smoothing mass eps / K goes to
 * every class, the target class included, as in PyTorch and Keras) and w are optional class weights.
 * Labels may be one-hot or any non-negative soft labels.
 *
 * <p>Computed through log-softmax, so no clipping epsilon is needed: log p is exact even where p rounds
 * to 0.
 */
public final class CrossEntropy implements OneHotSoftmaxLoss {

    static final String NAME = "CrossEntropy";

    private final double labelSmoothing;
    private final double[] classWeights;

    /**
     * @param labelSmoothing eps in [0, 1)
     * @param classWeights   one positive weight per class, or {@code null} for none
     */
    public CrossEntropy(double labelSmoothing, double[] classWeights) {
        this.labelSmoothing = Checks.fraction(NAME, "labelSmoothing", labelSmoothing);
        this.classWeights = Checks.positiveAll(NAME, "weights", classWeights);
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** A copy of the class weights, or {@code null}. */
    public double[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    @Override
    public INDArray targets(INDArray labels) {
        Checks.perOutputLength(NAME, "weights", classWeights, labels.size(1), false);
        if (labelSmoothing == 0) {
            return labels;
        }
        return labels.mul(1 - labelSmoothing).addi(labelSmoothing / labels.size(1));
    }

    @Override
    public INDArray classFactors(INDArray like) {
        return classWeights == null ? null : StableMath.row(classWeights, like);
    }

    @Override
    public LossResult evaluate(INDArray targets, INDArray logits, Need need) {
        Softmax softmax = Softmax.of(logits);
        INDArray perExample = need.score()
                ? targets.mul(softmax.logProbabilities()).sum(true, 1).negi()
                : null;
        // d/dlog p_c of -sum t_c log p_c is -t_c, so the sensitivities are the targets themselves
        INDArray gradient = need.gradient() ? softmax.gradientFromSensitivities(targets) : null;
        return new LossResult(perExample, gradient);
    }

    /**
     * With one-hot y, class weights w (all 1 without), row weights rho (1 without a mask) and
     * t = rho w ((1 - eps) y + eps / K): each row's total target T = sum_c t_c = rho ((1 - eps) w_t + eps W / K)
     * with W = sum_c w_c carries both outputs. The value is -sum_c t_c log p_c = T n - sum_c t_c z_c (n the row's
     * log-normalizer), with sum_c t_c z_c = rho ((1 - eps) w_t z_t + (eps / K) sum_c w_c z_c); the gradient is
     * p T - t = p T - (1 - eps) rho w_t y - (eps / K) rho w.
     */
    @Override
    public LossResult evaluateOneHot(INDArray labels, INDArray rowSums, INDArray rowWeights, INDArray logits,
            Need need) {
        long classes = labels.size(1);
        Checks.perOutputLength(NAME, "weights", classWeights, classes, false);
        INDArray weightColumn = classWeights == null ? null
                : StableMath.row(classWeights, logits).reshape(classes, 1);
        double totalWeight = classWeights == null ? classes : Arrays.stream(classWeights).sum();
        double spread = labelSmoothing / classes;

        RowSoftmax softmax = RowSoftmax.of(logits);
        // rho w_t, the target's class weight times the row's weight: 1 (0 for a zero row) without either
        INDArray targetWeight = weightColumn == null ? rowSums : labels.mmul(weightColumn);
        if (rowWeights != null) {
            targetWeight = targetWeight.mul(rowWeights);
        }
        // (1 - eps) rho w_t, the one-hot part of the target, and T
        INDArray targetPart = targetWeight.mul(1 - labelSmoothing);
        INDArray targetSum = labelSmoothing == 0 ? targetPart
                : rowWeights == null ? targetPart.add(spread * totalWeight)
                : StableMath.addScaled(targetPart, spread * totalWeight, rowWeights);

        INDArray perExample = null;
        if (need.score()) {
            // sum_c t_c z_c; the row dot product is z_t for a one-hot row and 0 for a zero row
            INDArray weightedLogits = RowSoftmax.rowDot(logits, labels).muli(targetPart);
            if (labelSmoothing != 0) {
                INDArray smoothingLogits = weightColumn == null ? logits.sum(true, 1) : logits.mmul(weightColumn);
                if (rowWeights != null) {
                    smoothingLogits.muli(rowWeights);
                }
                StableMath.addScaledInPlace(weightedLogits, spread, smoothingLogits);
            }
            // the softmax pieces are private to this call and overwritten where last read
            perExample = StableMath.addScaledInPlace(softmax.logNormalizer().muli(targetSum), -1.0, weightedLogits);
        }
        INDArray gradient = null;
        if (need.gradient()) {
            // without class weights or a mask, (1 - eps) rho w_t y is (1 - eps) y (zero rows have y = 0)
            boolean uniformTargets = weightColumn == null && rowWeights == null;
            if (labelSmoothing == 0 && !uniformTargets) {
                return new LossResult(perExample, softmax.oneHotGradientInPlace(labels, targetPart));
            }
            gradient = Broadcast.mul(softmax.exp(), softmax.sumExp().rdivi(targetSum), null);
            if (uniformTargets) {
                // a x + y in one in-place pass
                StableMath.addScaledInPlace(gradient, -(1 - labelSmoothing), labels);
            } else {
                StableMath.addScaledInPlace(gradient, -1.0, Broadcast.mul(labels, targetPart, null));
            }
            if (labelSmoothing != 0 && uniformTargets) {
                gradient.subi(spread);
            } else if (labelSmoothing != 0) {
                INDArray spreadRow = weightColumn == null
                        ? Nd4j.valueArrayOf(new long[] {1, classes}, spread, logits.dataType())
                        : weightColumn.reshape(1, classes).mul(spread);
                // the exponentials are spent and take the result
                gradient = rowWeights == null ? Broadcast.sub(gradient, spreadRow, softmax.exp())
                        : StableMath.addScaledInPlace(gradient, -1.0, rowWeights.mmul(spreadRow));
            }
        }
        return new LossResult(perExample, gradient);
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
        return "CrossEntropy(labelSmoothing=" + labelSmoothing + ", weights=" + Arrays.toString(classWeights) + ")";
    }
}
