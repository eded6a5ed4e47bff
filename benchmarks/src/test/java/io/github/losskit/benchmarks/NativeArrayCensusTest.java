package io.github.losskit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The census counts what a call allocates, the same way every time. */
class NativeArrayCensusTest {

    /** A stand-in loss that copies its input {@code copies} times and does nothing else. */
    private record Copying(int copies) implements LossCandidate {

        @Override
        public ILossFunction newLoss() {
            return new LossMSE() {
                @Override
                public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                        IActivation activation, INDArray mask, boolean average) {
                    INDArray last = preOutput;
                    for (int i = 0; i < copies; i++) {
                        last = preOutput.dup();
                    }
                    return new Pair<>(0.0, last);
                }
            };
        }

        @Override
        public IActivation activation() {
            return new ActivationIdentity();
        }

        @Override
        public INDArray labels(int rows, int columns, long seed) {
            return Inputs.gaussian(rows, columns, seed);
        }

        @Override
        public LossCandidate baseline() {
            return null;
        }
    }

    @Test
    void eachNewArrayAddsTheSameNumberOfPointersAndNoArrayAddsNone() {
        long none = NativeArrayCensus.pointersPerCall(new Copying(0), 256, 10);
        long one = NativeArrayCensus.pointersPerCall(new Copying(1), 256, 10);
        long three = NativeArrayCensus.pointersPerCall(new Copying(3), 256, 10);
        assertEquals(0, none, "a call that creates no array");
        assertTrue(one > 0, "a copy takes native pointers: " + one);
        assertEquals(3 * one, three, "three copies take three times one copy's pointers");
    }

    @Test
    void everyLossCandidateIsCountedAndTheCountRepeats() {
        List<NativeArrayCensus.Count> first = NativeArrayCensus.take("256x10");
        assertEquals(SoftmaxLossBenchmark.Candidate.values().length + SigmoidLossBenchmark.Candidate.values().length
                + RegressionLossBenchmark.Candidate.values().length + MarginLossBenchmark.Candidate.values().length,
                first.size());
        for (NativeArrayCensus.Count count : first) {
            assertTrue(count.pointers() > 0, count.toString());
            assertEquals(count.candidate().startsWith("DL4J_"), count.baseline() == null, count.toString());
        }
        assertEquals(first, NativeArrayCensus.take("256x10"));
    }
}
