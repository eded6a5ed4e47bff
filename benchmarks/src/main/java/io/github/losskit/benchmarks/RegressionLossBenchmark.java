package io.github.losskit.benchmarks;

import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossLogCosh;
import io.github.losskit.dl4j.LossSmoothL1;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.openjdk.jmh.annotations.Param;

/** How long does score + gradient of a robust regression loss take, against DL4J's LossMSE and LossL1? */
public class RegressionLossBenchmark extends LossBenchmark {

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

    @Param
    public Candidate loss;

    @Override
    protected LossCandidate candidate() {
        return loss;
    }
}
