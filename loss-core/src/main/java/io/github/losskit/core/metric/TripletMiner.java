package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

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
        return switch (mining) {
            case BATCH_ALL -> new AllTripletsMiner();
            case BATCH_HARD -> new HardestMiner();
            case SEMI_HARD -> new SemiHardMiner();
            case CONSECUTIVE -> throw new IllegalArgumentException("consecutive triplets are not mined");
        };
    }

    /** Anchors per chunk for an N-row batch. */
    static int chunkSize(long rows) {
        return (int) Math.max(1, Math.min(rows, CHUNK_ELEMENTS / Math.max(1, rows * rows)));
    }

    /**
     * A finite stand-in for infinity, added to excluded entries before a min or max: exact where the exclusion
     * factor is 0, and far beyond any real distance elsewhere.
     */
    static double far(DataType type) {
        return type == DataType.DOUBLE ? 1e300 : type == DataType.HALF ? 1e4 : 1e30;
    }

    /** One-hot rows along a new last axis: result[..., k] = 1 where indices[...] == k; k < size. */
    static INDArray oneHot(INDArray indices, long size, DataType type) {
        long[] shape = indices.shape();
        long[] column = java.util.Arrays.copyOf(shape, shape.length + 1);
        column[shape.length] = 1;
        long[] row = new long[shape.length + 1];
        java.util.Arrays.fill(row, 1);
        row[shape.length] = size;
        INDArray positions = Nd4j.arange(size).castTo(type).reshape(row);
        return indices.castTo(type).reshape(column).eq(positions).castTo(type);
    }
}
