package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Log-probabilities and probabilities of a row-wise softmax, computed together from logits so that losses
 * can share them between score and gradient.
 *
 * @param logProbabilities log p = z - logsumexp(z), exact even where p rounds to 0 or 1
 * @param probabilities    p = softmax(z)
 */
public record Softmax(INDArray logProbabilities, INDArray probabilities) {

    /** Softmax along dimension 1 of a [minibatch, classes] array; {@code logits} is not modified. */
    public static Softmax of(INDArray logits) {
        // Shifting by the row maximum makes every exponent <= 0, so exp cannot overflow, and the row sum
        // is >= 1, so its logarithm is finite.
        INDArray shifted = Broadcast.sub(logits, logits.max(true, 1), null);
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray probabilities = Broadcast.div(exp, sum, null);
        // exp is spent: it takes the log-probabilities
        INDArray logProbabilities = Broadcast.sub(shifted, Transforms.log(sum, false), exp);
        return new Softmax(logProbabilities, probabilities);
    }

    /**
     * The gradient with respect to the logits of a loss whose derivative with respect to log p_c is -g_c:
     * since d log p_c / d z_j = [c = j] - p_j, dL/dz_j = p_j sum_c g_c - g_j. For cross-entropy g = t.
     * {@code g} is not modified.
     */
    public INDArray gradientFromSensitivities(INDArray g) {
        return StableMath.addScaledInPlace(Broadcast.mul(probabilities, g.sum(true, 1), null), -1.0, g);
    }
}
