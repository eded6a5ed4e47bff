package io.github.losskit.dl4j.metric.aids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.metric.PerClassSamplingIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class PerClassSamplingIteratorTest {

    /** Class c has sizes[c] rows; feature 0 of a row is its row number (to identify it), feature 1 its class. */
    static DataSet labelled(int[] sizes, boolean oneHot) {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        double[][] x = new double[n][2];
        double[][] y = new double[n][oneHot ? sizes.length : 1];
        int r = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++, r++) {
                x[r][0] = r;
                x[r][1] = c;
                if (oneHot) {
                    y[r][c] = 1;
                } else {
                    y[r][0] = c;
                }
            }
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));
    }

    private static List<INDArray> epoch(DataSetIterator it) {
        List<INDArray> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next().getFeatures());
        }
        return batches;
    }

    @Test
    void batchesHoldPClassesOfKDistinctExamplesWithClassIdLabels() {
        for (boolean oneHot : new boolean[] {false, true}) {
            PerClassSamplingIterator it = new PerClassSamplingIterator(labelled(new int[] {6, 7, 8, 9, 10}, oneHot),
                    3, 4, 5, 7L);
            int batches = 0;
            while (it.hasNext()) {
                DataSet batch = it.next();
                batches++;
                assertEquals(12, batch.numExamples());
                assertEquals(List.of(12L, 1L), List.of(batch.getLabels().shape()[0], batch.getLabels().shape()[1]));
                Map<Integer, Set<Integer>> rowsByClass = new TreeMap<>();
                for (int i = 0; i < 12; i++) {
                    int label = batch.getLabels().getInt(i, 0);
                    assertEquals(batch.getFeatures().getInt(i, 1), label, "label matches the row's class");
                    rowsByClass.computeIfAbsent(label, c -> new HashSet<>()).add(batch.getFeatures().getInt(i, 0));
                }
                assertEquals(3, rowsByClass.size(), "P classes");
                rowsByClass.values().forEach(rows -> assertEquals(4, rows.size(), "K distinct examples"));
            }
            assertEquals(5, batches);
            assertEquals(12, it.batch());
        }
    }

    @Test
    void defaultEpochLengthIsEligibleExamplesOverPK() {
        PerClassSamplingIterator it = new PerClassSamplingIterator(labelled(new int[] {10, 10, 10, 10}, false),
                2, 5, 1L);
        assertEquals(4, it.batchesPerEpoch());
        assertEquals(4, epoch(it).size());
    }

    @Test
    void sameSeedSameBatchesAndResetRestartsTheSequence() {
        DataSet data = labelled(new int[] {5, 5, 5, 5, 5, 5}, false);
        PerClassSamplingIterator a = new PerClassSamplingIterator(data, 3, 2, 6, 99L);
        PerClassSamplingIterator b = new PerClassSamplingIterator(data, 3, 2, 6, 99L);
        List<INDArray> first = epoch(a);
        assertEquals(first, epoch(b));
        assertFalse(a.hasNext());
        a.reset();
        assertEquals(first, epoch(a), "reset replays the same sequence");
        assertNotEquals(first, epoch(new PerClassSamplingIterator(data, 3, 2, 6, 100L)), "another seed differs");
    }

    @Test
    void classesWithFewerThanKExamplesAreSkipped() {
        // class 1 has 2 examples, K = 3: it must never appear
        PerClassSamplingIterator it = new PerClassSamplingIterator(labelled(new int[] {4, 2, 5, 3}, false),
                2, 3, 20, 3L);
        assertEquals(3, it.eligibleClasses());
        for (INDArray features : epoch(it)) {
            for (int i = 0; i < features.size(0); i++) {
                assertNotEquals(1, features.getInt(i, 1));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PerClassSamplingIterator(labelled(new int[] {4, 2, 2}, false), 2, 3, 1L));
        assertTrue(e.getMessage().contains("found 1"), e.getMessage());
    }

    @Test
    void wrapsADataSetIteratorByCollectingItOnce() {
        DataSet data = labelled(new int[] {4, 4, 4}, true);
        DataSetIterator source = new TestDataSetIterator(data, 5);
        PerClassSamplingIterator wrapped = new PerClassSamplingIterator(source, 2, 2, 4, 11L);
        PerClassSamplingIterator direct = new PerClassSamplingIterator(data, 2, 2, 4, 11L);
        assertEquals(epoch(direct), epoch(wrapped));
        assertEquals(3, wrapped.totalOutcomes());
    }

    @Test
    void rejectsBadArgumentsWithClearMessages() {
        DataSet data = labelled(new int[] {4, 4, 4}, false);
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> new PerClassSamplingIterator(data, 1, 2, 1L));
        assertTrue(p.getMessage().contains("classesPerBatch (P) must be >= 2"), p.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new PerClassSamplingIterator(data, 2, 1, 1L));
        assertTrue(k.getMessage().contains("examplesPerClass (K) must be >= 2"), k.getMessage());
        IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
                () -> new PerClassSamplingIterator(data, 4, 2, 1L));
        assertTrue(classes.getMessage().contains("at least P = 4 classes"), classes.getMessage());
        PerClassSamplingIterator it = new PerClassSamplingIterator(data, 2, 2, 1, 1L);
        it.next();
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }
}
