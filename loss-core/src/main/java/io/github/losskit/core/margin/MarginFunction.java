package io.github.losskit.core.margin;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
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
        public ElementwiseTerms terms(INDArray z, Need need) {
            INDArray slack = Transforms.relu(z.rsub(1.0), false);
            // the slack is positive exactly where the derivative is -1
            INDArray derivative = need.gradient() ? Transforms.sign(slack, true).negi() : null;
            return new ElementwiseTerms(need.score() ? slack : null, derivative);
        }
    },
    /** max(0, 1 - z)^2; derivative -2 max(0, 1 - z), continuous at the margin. */
    SQUARED_HINGE {
        @Override
        public ElementwiseTerms terms(INDArray z, Need need) {
            INDArray slack = Transforms.relu(z.rsub(1.0), false);
            INDArray derivative = need.gradient() ? slack.mul(-2.0) : null;
            return new ElementwiseTerms(need.score() ? slack.muli(slack) : null, derivative);
        }
    },
    /**
     * exp(-z), AdaBoost's loss; derivative -exp(-z). It grows without bound on the wrong side: it overflows
     * to infinity where exp(-z) is not representable (z &lt; -709.78 in double, z &lt; -88.72 in float).
     */
    EXPONENTIAL {
        @Override
        public ElementwiseTerms terms(INDArray z, Need need) {
            INDArray exp = Transforms.exp(z.neg(), false);
            INDArray derivative = need.gradient() ? exp.neg() : null;
            return new ElementwiseTerms(need.score() ? exp : null, derivative);
        }
    },
    /** log(1 + exp(-z)) = softplus(-z), logistic regression's loss; derivative -1 / (1 + exp(z)) = -sigmoid(-z). */
    LOGISTIC {
        @Override
        public ElementwiseTerms terms(INDArray z, Need need) {
            INDArray negated = z.neg();
            // one sigmoid serves both: the derivative is -sigmoid(-z), and softplus(-z) is derived from it
            INDArray sigmoid = Transforms.sigmoid(negated, true);
            INDArray values = need.score() ? StableMath.softplusFromSigmoid(negated, sigmoid) : null;
            return new ElementwiseTerms(values, need.gradient() ? sigmoid.negi() : null);
        }
    };

    /**
     * The loss and its derivative with respect to the margin at each margin, as new arrays computed together so
     * that they share their intermediates; each is null when {@code need} leaves it out.
     */
    public abstract ElementwiseTerms terms(INDArray z, Need need);

    /** The loss at each margin, as a new array. */
    public INDArray value(INDArray z) {
        return terms(z, Need.SCORE).values();
    }

    /** The derivative of the loss with respect to the margin, as a new array. */
    public INDArray derivative(INDArray z) {
        return terms(z, Need.GRADIENT).derivatives();
    }
}
