package io.github.losskit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What every per-output loss benchmark measures: one computeGradientAndScore as an output layer calls it,
 * for each candidate of the subclass, at two shapes, inside and outside the fit workspace. Each subclass asks
 * one question through its own Candidate enum.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class LossBenchmark {

    @Param({"256x10", "4096x1000"})
    public String shape;

    @Param({"FIT", "NONE"})
    public WorkspaceMode workspace;

    private ILossFunction function;
    private IActivation activation;
    private INDArray labels;
    private INDArray preOutput;

    /** The candidate chosen by the subclass's {@code loss} parameter. */
    protected abstract LossCandidate candidate();

    @Setup
    public void createInputs() {
        int[] size = Inputs.shape(shape);
        LossCandidate loss = candidate();
        function = loss.newLoss();
        activation = loss.activation();
        labels = loss.labels(size[0], size[1], 1);
        preOutput = Inputs.gaussian(size[0], size[1], 2).muli(3);
    }

    @Benchmark
    public void scoreAndGradient(Blackhole blackhole) {
        LossCandidate.scoreAndGradient(workspace, function, labels, preOutput, activation, blackhole);
    }
}
