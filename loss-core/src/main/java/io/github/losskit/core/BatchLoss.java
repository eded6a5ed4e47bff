package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss whose rows interact: each row is an embedding, and the loss compares rows of one minibatch with each
 * other (pairs, triplets mined in the batch). A mask can therefore only remove whole rows, and removing a row
 * removes it from every pair or triplet it would have been part of. {@link LossEvaluator#batch} validates the
 * mask and replaces masked rows of labels and embeddings by zeros before the loss sees them; the loss itself
 * must leave masked rows out of every pair or triplet, so their values and gradients are exactly zero.
 *
 * <p>Implementations use ND4J ops only and never modify their arguments.
 */
public interface BatchLoss {

    /**
     * Checks labels against the loss's label format and domain.
     *
     * @param labels labels [minibatch, columns], masked rows replaced by zeros
     * @param kept   [minibatch, 1]: 1 for a row that takes part, 0 for a masked one
     */
    void checkLabels(String lossName, INDArray labels, INDArray kept);

    /**
     * @param labels     checked labels, masked rows zero
     * @param embeddings [minibatch, dimensions], masked rows zero; never modified
     * @param kept       [minibatch, 1] of 0/1 in the embeddings' data type, never null
     * @return per-row values [minibatch, 1] that sum to the batch total, and the gradient of that total with
     *         respect to the embeddings, as {@code need} asks
     */
    LossResult evaluate(INDArray labels, INDArray embeddings, INDArray kept, Need need);
}
