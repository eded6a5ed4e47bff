package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Chooses triplets from an in-batch distance matrix and sums their losses ({@link Mining}). */
interface TripletMiner {

    /** Elements of one [chunk, N, N] temporary: anchors are processed in chunks of at most this / N^2. */
    long CHUNK_ELEMENTS = 1L << 22;

    /**
     * @param distances [N, N], not modified
     * @param pairs     positive and negative pairs among the kept rows
     */
    MinedTriplets mine(INDArray distances, InBatchPairs pairs, TripletRule rule, Need need);

    static TripletMiner of(Mining mining) {
        return of(mining, CHUNK_ELEMENTS);
    }

    /** @param chunkElements the size budget of one [chunk, N, N] temporary (tests force small chunks) */
    static TripletMiner of(Mining mining, long chunkElements) {
        return switch (mining) {
            case BATCH_ALL -> new AllTripletsMiner(chunkElements);
            case BATCH_HARD -> new HardestMiner();
            case SEMI_HARD -> new SemiHardMiner(chunkElements);
            case CONSECUTIVE -> throw new IllegalArgumentException("consecutive triplets are not mined");
        };
    }

    /** Anchors per chunk for an N-row batch. */
    static int chunkSize(long rows, long chunkElements) {
        return (int) Math.max(1, Math.min(rows, chunkElements / Math.max(1, rows * rows)));
    }

    /** Rows [start, end) of a matrix as a new c-ordered array (so that it can be reshaped without copying). */
    static INDArray rows(INDArray matrix, long start, long end) {
        return matrix.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup('c');
    }

    /** One-hot rows along a new last axis: result[..., k] = 1 where indices[...] == k; k < size. */
    static INDArray oneHot(INDArray indices, long size, DataType type) {
        long[] shape = indices.shape();
        long[] column = Arrays.copyOf(shape, shape.length + 1);
        column[shape.length] = 1;
        long[] row = new long[shape.length + 1];
        Arrays.fill(row, 1);
        row[shape.length] = size;
        INDArray positions = Nd4j.arange(size).castTo(type).reshape(row);
        // a broadcast difference, because ND4J's array-array comparisons do not broadcast
        return indices.castTo(type).reshape(column).sub(positions).eq(0.0).castTo(type);
    }
}
