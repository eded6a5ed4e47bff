package io.github.losskit.dl4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One loss instance shared by threads, as ParallelWrapper and ParallelInference share configurations, gives
 * exactly the single-threaded results: 4 threads x 250 calls (1,000 calls) per loss configuration in the
 * catalog.
 */
class ConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 250;

    @Test
    void aSharedLossGivesTheSingleThreadedResultsOnEveryThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (LossCase c : LossCatalog.all()) {
                ILossFunction shared = c.newLoss();
                IActivation activation = c.newActivation();
                INDArray labels = c.labels(16, 1, DataType.FLOAT);
                INDArray preOutput = c.preOutput(16, 2, 2.0, DataType.FLOAT);
                Pair<Double, INDArray> expected = shared.computeGradientAndScore(labels, preOutput, activation, null,
                        true);
                List<Future<Integer>> mismatches = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    mismatches.add(pool.submit(() -> {
                        int wrong = 0;
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            Pair<Double, INDArray> result = shared.computeGradientAndScore(labels, preOutput,
                                    activation, null, true);
                            if (!result.getFirst().equals(expected.getFirst())
                                    || !result.getSecond().equals(expected.getSecond())) {
                                wrong++;
                            }
                        }
                        return wrong;
                    }));
                }
                int wrong = 0;
                for (Future<Integer> f : mismatches) {
                    wrong += f.get();
                }
                assertEquals(0, wrong, c + ": calls that differed from the single-threaded result");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
