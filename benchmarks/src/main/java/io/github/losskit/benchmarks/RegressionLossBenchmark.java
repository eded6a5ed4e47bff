package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossLogCosh;
import io.github.losskit.dl4j.LossSmoothL1;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
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

/** How long does score + gradient of a robust regression loss take, against DL4J's LossMSE and LossL1? */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RegressionLossBenchmark {

    public enum Candidate implements LossCandidate {
        DL4J_MSE {
            @Override
            public ILossFunction newLoss() {
                return new LossMSE();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        DL4J_L1 {
            @Override
            public ILossFunction newLoss() {
                return new LossL1();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        LOSS_HUBER {
            @Override
            public ILossFunction newLoss() {
                return new LossHuber();
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_MSE;
            }
        },
        LOSS_SMOOTH_L1 {
            @Override
            public ILossFunction newLoss() {
                return new LossSmoothL1();
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_L1;
            }
        },
        LOSS_LOG_COSH {
            @Override
            public ILossFunction newLoss() {
                return new LossLogCosh();
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_MSE;
            }
        };

        @Override
        public IActivation activation() {
            return new ActivationIdentity();
        }

        @Override
        public INDArray labels(int rows, int columns, long seed) {
            return Inputs.gaussian(rows, columns, seed);
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
