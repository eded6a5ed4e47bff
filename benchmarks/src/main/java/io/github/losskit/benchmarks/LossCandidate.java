package io.github.losskit.benchmarks;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.openjdk.jmh.infra.Blackhole;

/** A loss in a benchmark: the ILossFunction, its output activation, its labels, and what it is compared with. */
public interface LossCandidate {

    ILossFunction newLoss();

    IActivation activation();

    INDArray labels(int rows, int columns, long seed);

    /** The candidate this one is measured against (a DL4J built-in), or {@code null} for a baseline. */
    LossCandidate baseline();

    /** One computeGradientAndScore as a layer calls it during fit, results consumed. */
    static void scoreAndGradient(WorkspaceMode workspace, ILossFunction loss, INDArray labels, INDArray preOutput,
            IActivation activation, Blackhole blackhole) {
        workspace.run(() -> {
            Pair<Double, INDArray> result = loss.computeGradientAndScore(labels, preOutput, activation, null, false);
            blackhole.consume(result.getFirst().doubleValue());
            blackhole.consume(result.getSecond());
            return null;
        });
    }
}
