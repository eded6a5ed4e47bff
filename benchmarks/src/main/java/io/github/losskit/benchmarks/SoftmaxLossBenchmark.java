package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** How long does score + gradient of a softmax classification loss take, against DL4J's LossMCXENT? */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SoftmaxLossBenchmark {

    public enum Candidate implements LossCandidate {
        DL4J_MCXENT {
            @Override
            public ILossFunction newLoss() {
                return new LossMCXENT();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        LOSS_FOCAL {
            @Override
            public ILossFunction newLoss() {
                return LossFocal.builder().gamma(2).alpha(0.25).build();
            }
        },
        LOSS_CROSS_ENTROPY_SMOOTHED {
            @Override
            public ILossFunction newLoss() {
                return LossCrossEntropy.builder().labelSmoothing(0.1).build();
            }
        },
        NAIVE_FOCAL {
            @Override
            public ILossFunction newLoss() {
                return new NaiveFocalLoss(2, 0.25);
            }
        };

        @Override
        public IActivation activation() {
            return new ActivationSoftmax();
        }

        @Override
        public INDArray labels(int rows, int columns, long seed) {
            return Inputs.oneHot(rows, columns, seed);
        }

        @Override
        public LossCandidate baseline() {
            return DL4J_MCXENT;
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
    private INDArray logits;

    @Setup
    public void createInputs() {
        int[] size = Inputs.shape(shape);
        function = loss.newLoss();
        activation = loss.activation();
        labels = loss.labels(size[0], size[1], 1);
        logits = Inputs.gaussian(size[0], size[1], 2).muli(3);
    }

    @Benchmark
    public void scoreAndGradient(Blackhole blackhole) {
        LossCandidate.scoreAndGradient(workspace, function, labels, logits, activation, blackhole);
    }
}
