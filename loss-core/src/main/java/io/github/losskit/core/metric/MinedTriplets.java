package io.github.losskit.core.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a miner returns: per-anchor sums of its triplets' losses [N, 1] (or null), how many triplets (or
 * anchor-positive pairs, or anchors) were valid and how many had positive loss, and the sensitivities [N, N] of
 * the summed loss to the distance matrix (or null).
 */
record MinedTriplets(INDArray perAnchor, double valid, double active, INDArray distanceSensitivities) {
}
