package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A softmax loss with a per-row fast path for one-hot labels. With one class per row, every per-class
 * quantity the loss needs reduces to a per-row scalar (the target's log-probability, its class weight), so
 * the full-width work is the softmax itself and one gradient expression instead of a dozen element-wise
 * passes. {@link LossEvaluator} takes this path whenever every row is one-hot or all zero.
 */
public interface OneHotSoftmaxLoss extends SoftmaxLoss {

    /**
     * @param labels     rows one-hot or all zero (masked rows are zero); never modified
     * @param rowSums    each label row's sum, 1 or 0 [minibatch, 1]
     * @param rowWeights per-example mask weights [minibatch, 1], or {@code null}
     * @param logits     logits, masked rows already zeroed; never modified
     */
    LossResult evaluateOneHot(INDArray labels, INDArray rowSums, INDArray rowWeights, INDArray logits, Need need);
}
