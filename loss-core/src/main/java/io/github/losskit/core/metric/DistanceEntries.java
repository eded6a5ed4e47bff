package io.github.losskit.core.metric;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A few entries (row_k, column_k) of an [N, N] distance matrix with a weight each: the sensitivities of a loss
 * that reads at most a handful of distances per anchor (batch-hard mining reads two or three), so that its
 * gradient costs O(K D) gathers and scatters instead of [N, N] temporaries and an N x N x D product.
 *
 * @param rows    row indices [K] (INT)
 * @param columns column indices [K] (INT)
 * @param weights weights [K, 1]
 */
record DistanceEntries(INDArray rows, INDArray columns, INDArray weights) {

    /** Concatenates entry lists (nulls skipped). */
    static DistanceEntries concat(DistanceEntries... parts) {
        List<DistanceEntries> present = Arrays.stream(parts).filter(Objects::nonNull).toList();
        if (present.size() == 1) {
            return present.get(0);
        }
        return new DistanceEntries(
                Nd4j.concat(0, present.stream().map(DistanceEntries::rows).toArray(INDArray[]::new)),
                Nd4j.concat(0, present.stream().map(DistanceEntries::columns).toArray(INDArray[]::new)),
                Nd4j.concat(0, present.stream().map(DistanceEntries::weights).toArray(INDArray[]::new)));
    }

    /** The entries' values of {@code matrix} [N, N], as [K, 1]: one gather from the flattened matrix. */
    INDArray valuesIn(INDArray matrix) {
        INDArray linear = rows.mul(matrix.size(1)).addi(columns);
        return gatherRows(matrix.reshape('c', matrix.length(), 1), linear);
    }

    /** weights multiplied by {@code factor}, as new entries. */
    DistanceEntries scaled(double factor) {
        return new DistanceEntries(rows, columns, weights.mul(factor));
    }

    static INDArray indices(INDArray values) {
        return values.castTo(DataType.INT).reshape(values.length());
    }

    /** Rows {@code indices} [K] of {@code matrix} [N, D], as a new [K, D] array. */
    static INDArray gatherRows(INDArray matrix, INDArray indices) {
        INDArray out = Nd4j.create(matrix.dataType(), indices.length(), matrix.size(1));
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(matrix, indices).addOutputs(out)
                .addIntegerArguments(0).build());
        return out;
    }

    /** target[indices[k]] += updates[k] for every k, repeated indices accumulating; in place. */
    static void scatterAdd(INDArray target, INDArray indices, INDArray updates) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(target, indices, updates).addOutputs(target)
                .build());
    }
}
