package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.openjdk.jmh.annotations.Param;

/** How long does score + gradient of a softmax classification loss take, against DL4J's LossMCXENT? */
public class SoftmaxLossBenchmark extends LossBenchmark {

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

    @Param
    public Candidate loss;

    @Override
    protected LossCandidate candidate() {
        return loss;
    }
}
