package io.github.losskit.dl4j.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Minibatches of P classes x K examples of each class, the composition that batch-hard and semi-hard triplet
 * mining need: every anchor has K - 1 positives and (P - 1) K negatives in its batch.
 *
 * <p>Batches: the P classes of a batch are drawn without replacement from the eligible classes, and the K
 * examples of each class without replacement from that class's examples. Rows are grouped by class (class of
 * the first K rows, then the next, ...). An epoch has {@code batchesPerEpoch} batches (by default the number of
 * eligible examples divided by P K, at least 1); {@link #reset()} restarts the same sequence, so two iterators
 * built with the same data, P, K and seed emit identical batches.
 *
 * <p>Labels: the wrapped data's labels may be one-hot [N, C] (the class is the column of the largest entry) or
 * class ids [N, 1] (non-negative integers). Emitted labels are always class ids [P K, 1] in the features' data
 * type, which is what {@code LossTriplet}'s in-batch minings and {@code LossContrastive}'s ALL_IN_BATCH take.
 *
 * <p>Classes with fewer than K examples are skipped (never sampled): drawing them with replacement would put
 * duplicated rows in a batch, whose zero positive distance teaches nothing and hides the class's real spread.
 * The constructor fails when fewer than P classes remain.
 *
 * <p>Features may have any rank; rows are taken along dimension 0. Feature and label masks are not supported.
 */
public final class PerClassSamplingIterator implements DataSetIterator {

    private final INDArray features;
    private final INDArray classIds;
    private final int classesPerBatch;
    private final int examplesPerClass;
    private final int batchesPerEpoch;
    private final long seed;
    private final List<int[]> rowsByClass;
    private final int totalClasses;
    private Random random;
    private int emitted;
    private DataSetPreProcessor preProcessor;

    /** Wraps {@code data} with the default number of batches per epoch. */
    public PerClassSamplingIterator(DataSet data, int classesPerBatch, int examplesPerClass, long seed) {
        this(data, classesPerBatch, examplesPerClass, 0, seed);
    }

    /**
     * @param data             labelled examples: labels one-hot [N, C] or class ids [N, 1]
     * @param classesPerBatch  P >= 2
     * @param examplesPerClass K >= 2
     * @param batchesPerEpoch  batches before {@link #hasNext()} is false; 0 for the default (eligible examples
     *                         / (P K), at least 1)
     * @param seed             fixes the whole sequence of batches
     */
    public PerClassSamplingIterator(DataSet data, int classesPerBatch, int examplesPerClass, int batchesPerEpoch,
            long seed) {
        if (classesPerBatch < 2) {
            throw new IllegalArgumentException("classesPerBatch (P) must be >= 2 so that anchors have negatives, got "
                    + classesPerBatch);
        }
        if (examplesPerClass < 2) {
            throw new IllegalArgumentException("examplesPerClass (K) must be >= 2 so that anchors have positives, got "
                    + examplesPerClass);
        }
        if (batchesPerEpoch < 0) {
            throw new IllegalArgumentException("batchesPerEpoch must be >= 0 (0 = default), got " + batchesPerEpoch);
        }
        if (data == null || data.getFeatures() == null || data.getLabels() == null) {
            throw new IllegalArgumentException("the data must have features and labels");
        }
        this.features = data.getFeatures();
        this.classIds = toClassIds(data.getLabels());
        if (features.size(0) != classIds.length()) {
            throw new IllegalArgumentException("features have " + features.size(0) + " rows but labels have "
                    + classIds.length());
        }
        this.classesPerBatch = classesPerBatch;
        this.examplesPerClass = examplesPerClass;
        this.seed = seed;

        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < classIds.length(); i++) {
            double id = classIds.getDouble(i);
            if (id < 0 || id != Math.rint(id)) {
                throw new IllegalArgumentException("class ids must be non-negative integers, row " + i + " has "
                        + id);
            }
            byClass.computeIfAbsent((int) id, c -> new ArrayList<>()).add(i);
        }
        this.totalClasses = byClass.isEmpty() ? 0 : byClass.lastKey() + 1;
        this.rowsByClass = new ArrayList<>();
        int eligibleExamples = 0;
        for (List<Integer> rows : byClass.values()) {
            if (rows.size() >= examplesPerClass) {
                rowsByClass.add(rows.stream().mapToInt(Integer::intValue).toArray());
                eligibleExamples += rows.size();
            }
        }
        if (rowsByClass.size() < classesPerBatch) {
            throw new IllegalArgumentException("need at least P = " + classesPerBatch + " classes with at least K = "
                    + examplesPerClass + " examples each, found " + rowsByClass.size() + " (of " + byClass.size()
                    + " classes; classes with fewer than K examples are skipped)");
        }
        this.batchesPerEpoch = batchesPerEpoch > 0 ? batchesPerEpoch
                : Math.max(1, eligibleExamples / (classesPerBatch * examplesPerClass));
        reset();
    }

    /** Collects {@code source} once (from its start) and wraps the merged examples. */
    public PerClassSamplingIterator(DataSetIterator source, int classesPerBatch, int examplesPerClass,
            int batchesPerEpoch, long seed) {
        this(collect(source), classesPerBatch, examplesPerClass, batchesPerEpoch, seed);
    }

    private static DataSet collect(DataSetIterator source) {
        if (source == null) {
            throw new IllegalArgumentException("the source iterator is null");
        }
        if (source.resetSupported()) {
            source.reset();
        }
        List<DataSet> parts = new ArrayList<>();
        while (source.hasNext()) {
            DataSet next = source.next();
            // one-hot and id labels of different batches could not be merged; ids are comparable across batches
            parts.add(new DataSet(next.getFeatures(), toClassIds(next.getLabels())));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("the source iterator has no examples");
        }
        return DataSet.merge(parts);
    }

    /** Class ids [N, 1] from one-hot [N, C] or ids [N, 1]. */
    private static INDArray toClassIds(INDArray labels) {
        if (labels == null || labels.rank() != 2) {
            throw new IllegalArgumentException("labels must be one-hot [N, C] or class ids [N, 1], got shape "
                    + (labels == null ? "null" : java.util.Arrays.toString(labels.shape())));
        }
        if (labels.size(1) == 1) {
            return labels;
        }
        return Nd4j.argMax(labels, 1).reshape(labels.size(0), 1).castTo(labels.dataType().isFPType()
                ? labels.dataType() : DataType.FLOAT);
    }

    @Override
    public boolean hasNext() {
        return emitted < batchesPerEpoch;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException("epoch finished after " + batchesPerEpoch + " batches");
        }
        emitted++;
        List<Integer> classOrder = new ArrayList<>();
        for (int c = 0; c < rowsByClass.size(); c++) {
            classOrder.add(c);
        }
        Collections.shuffle(classOrder, random);
        long[] rows = new long[classesPerBatch * examplesPerClass];
        double[][] ids = new double[rows.length][1];
        int r = 0;
        for (int p = 0; p < classesPerBatch; p++) {
            int[] members = rowsByClass.get(classOrder.get(p));
            List<Integer> order = new ArrayList<>();
            for (int m : members) {
                order.add(m);
            }
            Collections.shuffle(order, random);
            for (int k = 0; k < examplesPerClass; k++, r++) {
                rows[r] = order.get(k);
                ids[r][0] = classIds.getDouble(rows[r]);
            }
        }
        INDArrayIndex[] index = new INDArrayIndex[features.rank()];
        index[0] = NDArrayIndex.indices(rows);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        INDArray batchFeatures = features.get(index).dup();
        DataType labelType = features.dataType().isFPType() ? features.dataType() : DataType.FLOAT;
        DataSet batch = new DataSet(batchFeatures, Nd4j.createFromArray(ids).castTo(labelType));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** Batches always have P K rows; {@code num} must be P K. */
    @Override
    public DataSet next(int num) {
        if (num != batch()) {
            throw new UnsupportedOperationException("batches have P x K = " + batch() + " rows, asked for " + num);
        }
        return next();
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    /** The number of classes (largest class id + 1). */
    @Override
    public int totalOutcomes() {
        return totalClasses;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: batches are cheap, and a prefetching thread would only reorder nothing. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        random = new Random(seed);
        emitted = 0;
    }

    @Override
    public int batch() {
        return classesPerBatch * examplesPerClass;
    }

    public int classesPerBatch() {
        return classesPerBatch;
    }

    public int examplesPerClass() {
        return examplesPerClass;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The number of classes with at least K examples, the ones that are sampled. */
    public int eligibleClasses() {
        return rowsByClass.size();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
