package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
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

/** How long does score + gradient of a sigmoid (multi-label, 10% positives) loss take, against DL4J's LossBinaryXENT? LossBinaryXENT overwrites its preOutput argument with sigmoid(preOutput) on every call (a DL4J behaviour); its cost does not depend on the values, so the comparison stands. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SigmoidLossBenchmark {

    public enum Candidate implements LossCandidate {
        DL4J_BINARY_XENT {
            @Override
            public ILossFunction newLoss() {
                return new LossBinaryXENT();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        LOSS_BINARY_CROSS_ENTROPY {
            @Override
            public ILossFunction newLoss() {
                return new LossBinaryCrossEntropy();
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_BINARY_XENT;
            }
        },
        LOSS_FOCAL_SIGMOID {
            @Override
            public ILossFunction newLoss() {
                return LossFocal.builder().gamma(2).alpha(0.25).build();
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_BINARY_XENT;
            }
        };

        @Override
        public IActivation activation() {
            return new ActivationSigmoid();
        }

        @Override
        public INDArray labels(int rows, int columns, long seed) {
            return Inputs.multiLabel(rows, columns, 0.1, seed);
        }
    }

    @Param({"256x10", "4096x1000"})
    public String shape;

    @Param({"FIT", "NONE"})
    public WorkspaceMode workspace;

    @Param
    public Candidate loss;

    private ILossFunction function;
    private IActivation activation;
    private INDArray labels;
    private INDArray preOutput;

    @Setup
    public void createInputs() {
        int[] size = Inputs.shape(shape);
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
