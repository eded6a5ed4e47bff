package io.github.losskit.core.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a miner returns: per-anchor sums of its triplets' losses [N, 1] (or null), how many triplets (or
 * anchor-positive pairs, or anchors) were valid and how many had positive loss, and the sensitivities of the
 * summed loss to the distance matrix: dense [N, N], or as a list of entries for miners that read few distances
 * per anchor (both null when the gradient is not needed).
 */
record MinedTriplets(INDArray perAnchor, double valid, double active, INDArray distanceSensitivities,
        DistanceEntries sensitiveEntries) {

    MinedTriplets(INDArray perAnchor, double valid, double active, INDArray distanceSensitivities) {
        this(perAnchor, valid, active, distanceSensitivities, null);
    }

    /** The gradient of the summed loss times {@code scale} with respect to the embeddings. */
    INDArray embeddingGradient(PairwiseDistances distances, double scale) {
        return sensitiveEntries != null ? distances.backward(sensitiveEntries.scaled(scale))
                : distances.backward(distanceSensitivities.muli(scale));
    }
}
