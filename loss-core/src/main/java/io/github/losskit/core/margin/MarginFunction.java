package io.github.losskit.core.margin;

import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Losses of the margin z = y f of a score f and a label y in {-1, +1}: every one is large for z &lt; 0 (wrong
 * side), small for large z (right side with room), and they differ in how they treat the points between.
 */
public enum MarginFunction {
    /** max(0, 1 - z), SVM's loss; derivative -1 for z &lt; 1, 0 beyond. */
    HINGE {
        @Override
        public INDArray value(INDArray z) {
            return Transforms.relu(z.rsub(1.0), false);
        }

        @Override
        public INDArray derivative(INDArray z) {
            return z.lt(1.0).castTo(z.dataType()).negi();
        }
    },
    /** max(0, 1 - z)^2; derivative -2 max(0, 1 - z), continuous at the margin. */
    SQUARED_HINGE {
        @Override
        public INDArray value(INDArray z) {
            INDArray slack = Transforms.relu(z.rsub(1.0), false);
            return slack.muli(slack);
        }

        @Override
        public INDArray derivative(INDArray z) {
            return Transforms.relu(z.rsub(1.0), false).muli(-2.0);
        }
    },
    /**
     * exp(-z), AdaBoost's loss; derivative -exp(-z). It grows without bound on the wrong side: it overflows
     * to infinity where exp(-z) is not representable (z &lt; -709.78 in double, z &lt; -88.72 in float).
     */
    EXPONENTIAL {
        @Override
        public INDArray value(INDArray z) {
            return Transforms.exp(z.neg(), false);
        }

        @Override
        public INDArray derivative(INDArray z) {
            return Transforms.exp(z.neg(), false).negi();
        }
    },
    /** log(1 + exp(-z)) = softplus(-z), logistic regression's loss; derivative -1 / (1 + exp(z)) = -sigmoid(-z). */
    LOGISTIC {
        @Override
        public INDArray value(INDArray z) {
            return StableMath.softplus(z.neg());
        }

        @Override
        public INDArray derivative(INDArray z) {
            return StableMath.sigmoidOfNegated(z).negi();
        }
    };

    /** The loss at each margin, as a new array. */
    public abstract INDArray value(INDArray z);

    /** The derivative of the loss with respect to the margin, as a new array. */
    public abstract INDArray derivative(INDArray z);
}
