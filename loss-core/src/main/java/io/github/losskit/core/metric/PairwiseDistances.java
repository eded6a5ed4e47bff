package io.github.losskit.core.metric;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.RowSoftmax;
import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The [N, N] matrix of distances between the rows of an [N, D] embedding matrix, and the gradient of any
 * weighted sum of its entries. See {@link Distance} for the definitions and the gradient at zero distance.
 */
public final class PairwiseDistances {

    private final Distance distance;
    private final INDArray embeddings;
    private final INDArray values;
    /** Cosine: the rows scaled to unit length (zero rows stay zero). */
    private UnitRows unitRows;

    PairwiseDistances(Distance distance, INDArray embeddings) {
        this.distance = distance;
        this.embeddings = embeddings;
        this.values = switch (distance) {
            case EUCLIDEAN, SQUARED_EUCLIDEAN -> euclidean();
            case COSINE -> cosine();
        };
    }

    private INDArray euclidean() {
        long n = embeddings.size(0);
        INDArray squaredNorms = RowSoftmax.rowDot(embeddings, embeddings);
        // |x_i|^2 + |x_j|^2 - 2 x_i.x_j as one product of [X, |x|^2, 1] and [X, -1/2, -|x|^2 / 2]^T with alpha -2:
        // two extra columns in the product instead of two broadcast passes over the [N, N] result
        INDArray ones = Nd4j.ones(embeddings.dataType(), n, 1);
        INDArray left = Nd4j.concat(1, embeddings, squaredNorms, ones);
        INDArray right = Nd4j.concat(1, embeddings, ones.mul(-0.5), squaredNorms.mul(-0.5));
        INDArray squared = Nd4j.create(embeddings.dataType(), new long[] {n, n}, 'c');
        Nd4j.gemm(left, right, squared, false, true, -2.0, 0.0);
        // the expansion loses precision by cancellation and can dip below 0 for (near-)equal rows; d(x, x) = 0
        // exactly, whatever the rounding
        zeroDiagonal(Transforms.relu(squared, false));
        return distance == Distance.SQUARED_EUCLIDEAN ? squared : Transforms.sqrt(squared, false);
    }

    /** Sets the diagonal of a square matrix to 0, in place, without building an [N, N] mask. */
    static INDArray zeroDiagonal(INDArray square) {
        return setDiagonal(square, 0.0);
    }

    /**
     * Sets the diagonal of a square matrix to {@code value}, in place, touching N elements: in a c-ordered
     * [N, N] buffer the diagonal is every (N + 1)-th element, a strided view. (libnd4j's matrix_set_diag
     * rewrites the whole matrix, several times slower than a full element-wise pass.)
     */
    static INDArray setDiagonal(INDArray square, double value) {
        long n = square.size(0);
        if (square.ordering() != 'c' || !Shape.hasDefaultStridesForShape(square)) {
            INDArray mask = Nd4j.eye(n).castTo(square.dataType());
            return square.muli(mask.rsub(1.0)).addi(mask.muli(value));
        }
        square.reshape(n * n).get(NDArrayIndex.interval(0, n + 1, n * n)).assign(value);
        return square;
    }

    private INDArray cosine() {
        unitRows = UnitRows.of(embeddings);
        INDArray units = unitRows.units();
        return zeroDiagonal(units.mmul(units.transpose()).rsubi(1.0));
    }

    /** The [N, N] distances; symmetric. Callers must not modify it. */
    public INDArray values() {
        return values;
    }

    /**
     * The gradient with respect to the embeddings of sum_ij w_ij d_ij, for sensitivities w [N, N] (need not be
     * symmetric) that are held constant. {@code sensitivities} is not modified.
     */
    public INDArray backward(INDArray sensitivities) {
        return switch (distance) {
            // the 0/1 factor: the zero subgradient where the clamped distance is 0
            case SQUARED_EUCLIDEAN -> backwardSquared(sensitivities.mul(differentiable()));
            // d sqrt(s) / ds = 1 / (2 d), and 0 / floor = 0 where d = 0
            case EUCLIDEAN -> backwardSquared(sensitivities.mul(differentiable()).divi(
                    Transforms.max(values, StableMath.smallestNormal(values.dataType()), true).muli(2.0)));
            // d(x, x) is the constant 0
            case COSINE -> backwardCosine(zeroDiagonal(sensitivities.dup()));
        };
    }

    /**
     * The gradient with respect to the embeddings of sum_k w_k d(rows_k, columns_k), as {@link #backward} of the
     * dense matrix holding those weights would give it, from gathered rows: O(K D) instead of O(N^2 D).
     */
    public INDArray backward(DistanceEntries entries) {
        INDArray rowEmbeddings = DistanceEntries.gatherRows(embeddings, entries.rows());
        INDArray columnEmbeddings = DistanceEntries.gatherRows(embeddings, entries.columns());
        INDArray gradient = Nd4j.zeros(embeddings.dataType(), embeddings.shape());
        if (distance == Distance.COSINE) {
            // d = 1 - u_i.u_j: dL/du_i = -w u_j and dL/du_j = -w u_i, then the projection of backwardCosine
            INDArray rowUnits = DistanceEntries.gatherRows(unitRows.units(), entries.rows());
            INDArray columnUnits = DistanceEntries.gatherRows(unitRows.units(), entries.columns());
            INDArray negativeWeights = entries.weights().neg();
            DistanceEntries.scatterAdd(gradient, entries.rows(), Broadcast.mul(columnUnits, negativeWeights, null));
            DistanceEntries.scatterAdd(gradient, entries.columns(), Broadcast.mul(rowUnits, negativeWeights, null));
            return unitRows.projectGradient(gradient);
        }
        INDArray entryValues = entries.valuesIn(values);
        INDArray factors = entries.weights().mul(entryValues.gt(0.0).castTo(entryValues.dataType()));
        if (distance == Distance.SQUARED_EUCLIDEAN) {
            // ds/dx_i = 2 (x_i - x_j)
            factors.muli(2.0);
        } else {
            // dd/dx_i = (x_i - x_j) / d, and the zero subgradient where d = 0 (0 / floor = 0)
            factors.divi(Transforms.max(entryValues, StableMath.smallestNormal(values.dataType()), false));
        }
        INDArray updates = Broadcast.mul(StableMath.addScaledInPlace(rowEmbeddings, -1.0, columnEmbeddings), factors,
                columnEmbeddings);
        DistanceEntries.scatterAdd(gradient, entries.rows(), updates);
        DistanceEntries.scatterAdd(gradient, entries.columns(), updates.negi());
        return gradient;
    }

    /** Euclidean kinds: 1 where the clamped squared distance is > 0, 0 where it was clamped or is 0. */
    private INDArray differentiable() {
        return values.gt(0.0).castTo(values.dataType());
    }

    /** For s_ij = |x_i|^2 + |x_j|^2 - 2 x_i.x_j: d/dx_k = 2 (x_k sum_j v_kj - sum_j v_kj x_j), v = w + w^T. */
    private INDArray backwardSquared(INDArray w) {
        INDArray symmetric = w.add(w.transpose());
        INDArray own = Broadcast.mul(embeddings, symmetric.sum(true, 1), null);
        return StableMath.addScaledInPlace(own, -1.0, symmetric.mmul(embeddings)).muli(2.0);
    }

    /** d = 1 - u_i.u_j with u = x / |x|: dL/du = -(w + w^T) u, projected onto the tangent space and / |x|. */
    private INDArray backwardCosine(INDArray w) {
        return unitRows.projectGradient(w.add(w.transpose()).mmul(unitRows.units()).negi());
    }
}
