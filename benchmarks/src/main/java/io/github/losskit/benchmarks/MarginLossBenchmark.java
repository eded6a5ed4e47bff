package io.github.losskit.benchmarks;

import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.dl4j.LossMargin;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossSquaredHinge;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.openjdk.jmh.annotations.Param;

/** How long does score + gradient of a margin loss take, against DL4J's LossHinge and LossSquaredHinge? */
public class MarginLossBenchmark extends LossBenchmark {

    public enum Candidate implements LossCandidate {
        DL4J_HINGE {
            @Override
            public ILossFunction newLoss() {
                return new LossHinge();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        DL4J_SQUARED_HINGE {
            @Override
            public ILossFunction newLoss() {
                return new LossSquaredHinge();
            }

            @Override
            public LossCandidate baseline() {
                return null;
            }
        },
        LOSS_HINGE {
            @Override
            public ILossFunction newLoss() {
                return new LossMargin(MarginFunction.HINGE);
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_HINGE;
            }
        },
        LOSS_SQUARED_HINGE {
            @Override
            public ILossFunction newLoss() {
                return new LossMargin(MarginFunction.SQUARED_HINGE);
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_SQUARED_HINGE;
            }
        },
        LOSS_LOGISTIC {
            @Override
            public ILossFunction newLoss() {
                return new LossMargin(MarginFunction.LOGISTIC);
            }

            @Override
            public LossCandidate baseline() {
                return DL4J_HINGE;
            }
        };

        @Override
        public IActivation activation() {
            return new ActivationIdentity();
        }

        @Override
        public INDArray labels(int rows, int columns, long seed) {
            return Inputs.signs(rows, columns, seed);
        }
    }

    @Param
    public Candidate loss;

    @Override
    protected LossCandidate candidate() {
        return loss;
    }
}
