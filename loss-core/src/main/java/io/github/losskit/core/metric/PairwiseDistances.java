package io.github.losskit.core.metric;

import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    /** 0 on the diagonal, 1 elsewhere: d(x, x) = 0 exactly, whatever the rounding of the expansion. */
    private final INDArray offDiagonal;
    /** Euclidean kinds: 1 where the clamped squared distance is > 0, 0 where it was clamped or is 0. */
    private INDArray differentiable;
    /** Cosine: the rows scaled to unit length (zero rows stay zero) and the floored row norms. */
    private INDArray unitRows;
    private INDArray norms;
    private INDArray nonZeroRows;

    PairwiseDistances(Distance distance, INDArray embeddings) {
        this.distance = distance;
        this.embeddings = embeddings;
        this.offDiagonal = Nd4j.eye(embeddings.size(0)).castTo(embeddings.dataType()).rsubi(1.0);
        this.values = switch (distance) {
            case EUCLIDEAN, SQUARED_EUCLIDEAN -> euclidean();
            case COSINE -> cosine();
        };
    }

    private INDArray euclidean() {
        INDArray squaredNorms = embeddings.mul(embeddings).sum(true, 1);
        INDArray squared = embeddings.mmul(embeddings.transpose()).muli(-2.0)
                .addiColumnVector(squaredNorms).addiRowVector(squaredNorms.reshape(1, squaredNorms.length()));
        // the expansion loses precision by cancellation and can dip below 0 for (near-)equal rows
        Transforms.relu(squared, false).muli(offDiagonal);
        differentiable = squared.gt(0.0).castTo(squared.dataType());
        return distance == Distance.SQUARED_EUCLIDEAN ? squared : Transforms.sqrt(squared, false);
    }

    private INDArray cosine() {
        INDArray rawNorms = Transforms.sqrt(embeddings.mul(embeddings).sum(true, 1), false);
        nonZeroRows = rawNorms.gt(0.0).castTo(rawNorms.dataType());
        norms = Transforms.max(rawNorms, StableMath.smallestNormal(rawNorms.dataType()), false);
        // the factor zeroes rows whose squared norm underflowed to 0 although some element is not 0
        unitRows = embeddings.divColumnVector(norms).muliColumnVector(nonZeroRows);
        return unitRows.mmul(unitRows.transpose()).rsubi(1.0).muli(offDiagonal);
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
            case SQUARED_EUCLIDEAN -> backwardSquared(sensitivities.mul(differentiable));
            // d sqrt(s) / ds = 1 / (2 d); the 0/1 factor is the zero subgradient where d = 0 (and 0 / floor = 0)
            case EUCLIDEAN -> backwardSquared(sensitivities.mul(differentiable).divi(
                    Transforms.max(values, StableMath.smallestNormal(values.dataType()), true).muli(2.0)));
            case COSINE -> backwardCosine(sensitivities.mul(offDiagonal));
        };
    }

    /** For s_ij = |x_i|^2 + |x_j|^2 - 2 x_i.x_j: d/dx_k = 2 (x_k sum_j v_kj - sum_j v_kj x_j), v = w + w^T. */
    private INDArray backwardSquared(INDArray w) {
        INDArray symmetric = w.add(w.transpose());
        return embeddings.mulColumnVector(symmetric.sum(true, 1)).subi(symmetric.mmul(embeddings)).muli(2.0);
    }

    /** d = 1 - u_i.u_j with u = x / |x|: dL/du = -(w + w^T) u, projected onto the tangent space and / |x|. */
    private INDArray backwardCosine(INDArray w) {
        INDArray dUnit = w.add(w.transpose()).mmul(unitRows).negi();
        INDArray radial = unitRows.mul(dUnit).sum(true, 1);
        return dUnit.subi(unitRows.mulColumnVector(radial)).diviColumnVector(norms).muliColumnVector(nonZeroRows);
    }
}
