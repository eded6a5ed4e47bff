package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.openjdk.jmh.annotations.Param;

/** How long does score + gradient of a sigmoid (multi-label, 10% positives) loss take, against DL4J's LossBinaryXENT? LossBinaryXENT overwrites its preOutput argument with sigmoid(preOutput) on every call (a DL4J behaviour); its cost does not depend on the values, so the comparison stands. */
public class SigmoidLossBenchmark extends LossBenchmark {

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

    @Param
    public Candidate loss;

    @Override
    protected LossCandidate candidate() {
        return loss;
    }
}
