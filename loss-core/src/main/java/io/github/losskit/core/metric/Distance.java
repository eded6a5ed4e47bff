package io.github.losskit.core.metric;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The distance between two embeddings a and b that a metric loss compares with its margins.
 * <ul>
 *   <li>{@link #EUCLIDEAN}: |a - b|.</li>
 *   <li>{@link #SQUARED_EUCLIDEAN}: |a - b|^2 (so a loss that squares the distance is quartic in |a - b|).</li>
 *   <li>{@link #COSINE}: 1 - cos(a, b), in [0, 2]. A zero embedding has cosine distance 1 to everything.</li>
 * </ul>
 *
 * <p>In-batch distance matrices ({@link #pairwise}) come from one matrix product, |a|^2 + |b|^2 - 2 a b^T
 * clamped at 0 (the diagonal is exactly 0), so they cost O(N^2 D) time and O(N^2) memory. The expansion
 * cancels: squared distances below about 1e-16 |a|^2 (double; 1e-7 |a|^2 in float) are rounding noise, so two
 * equal embeddings may be a tiny positive distance apart. Row-by-row distances ({@link #rowwise}, used for
 * consecutive pairs and triplets) are computed from the differences a - b, which is exact for nearby points.
 *
 * <p>Euclidean distance has no derivative where a = b. Its gradient there is defined as 0 (a subgradient of
 * every loss here), so duplicated embeddings give finite gradients; the same holds for the zero embedding under
 * the cosine distance.
 */
public enum Distance {
    EUCLIDEAN,
    SQUARED_EUCLIDEAN,
    COSINE;

    /** The distances between all pairs of rows of {@code embeddings} [N, D], with their backward pass. */
    public PairwiseDistances pairwise(INDArray embeddings) {
        return new PairwiseDistances(this, embeddings);
    }

    /** The distances between row i of {@code a} and row i of {@code b}, both [n, D], with their backward pass. */
    public RowDistances rowwise(INDArray a, INDArray b) {
        return new RowDistances(this, a, b);
    }

    /**
     * A finite stand-in for infinity in a data type, added to excluded entries of a distance matrix before a min
     * or max (by the miners here and the SameDiff graphs): exact where the exclusion factor is 0, far beyond any
     * real distance elsewhere, and finite even when doubled.
     */
    public static double beyondAny(DataType type) {
        return type == DataType.DOUBLE ? 1e300 : type.width() >= 4 ? 1e30 : 1e4;
    }
}
