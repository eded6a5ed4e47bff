package io.github.losskit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** How long does ND4J take to add two arrays of a loss's shape? The memory-bandwidth yardstick of the report. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BandwidthBenchmark {

    @Param({"256x10", "4096x1000"})
    public String shape;

    @Param({"FIT", "NONE"})
    public WorkspaceMode workspace;

    private INDArray first;
    private INDArray second;

    @Setup
    public void createInputs() {
        int[] size = Inputs.shape(shape);
        first = Inputs.gaussian(size[0], size[1], 1);
        second = Inputs.gaussian(size[0], size[1], 2);
    }

    @Benchmark
    public void add(Blackhole blackhole) {
        blackhole.consume(workspace.run(() -> first.add(second)));
    }
}
