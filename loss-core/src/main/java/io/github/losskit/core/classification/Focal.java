package io.github.losskit.core.classification;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseLoss;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.Softmax;
import io.github.losskit.core.OneHotSoftmaxLoss;
import io.github.losskit.core.RowSoftmax;
import io.github.losskit.core.SoftmaxLoss;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Focal loss (Lin et al., "Focal Loss for Dense Object Detection", 2017), in two forms that share one
 * configuration:
 * <ul>
 *   <li>{@link #multiClass()}, over a softmax: -sum_c alpha_c y_c (1 - p_c)^gamma log p_c, where alpha is a
 *       scalar that multiplies every class or one value per class; labels may be soft.</li>
 *   <li>{@link #binary()}, one sigmoid term per output exactly as torchvision's {@code sigmoid_focal_loss}:
 *       alpha_t (1 - p_t)^gamma BCE(x, y) with p_t = p y + (1 - p)(1 - y) and
 *       alpha_t = alpha y + (1 - alpha)(1 - y).</li>
 * </ul>
 * A negative scalar alpha disables the alpha factor in both forms. gamma = 0 with alpha disabled is plain
 * cross-entropy. Any gamma >= 0, including 0 &lt; gamma &lt; 1, gives finite values and gradients at saturated
 * logits: the modulating factor is built from 1 - p computed without cancellation, and its derivative
 * (infinite at 1 - p = 0 when gamma &lt; 1) only ever appears multiplied by a factor that vanishes faster.
 */
public final class Focal {

    static final String NAME = "Focal";

    public static final double DEFAULT_GAMMA = 2.0;
    public static final double DEFAULT_ALPHA = 0.25;

    private final double gamma;
    private final double[] alpha;

    /**
     * @param gamma focusing parameter, >= 0
     * @param alpha one value (a scalar; negative disables the alpha factor) or one positive value per class
     */
    public Focal(double gamma, double... alpha) {
        this.gamma = Checks.nonNegative(NAME, "gamma", gamma);
        if (alpha == null || alpha.length == 0) {
            throw new IllegalArgumentException(NAME + ": alpha must hold one value or one value per class");
        }
        if (alpha.length == 1) {
            Checks.finite(NAME, "alpha", alpha[0]);
            this.alpha = alpha.clone();
        } else {
            this.alpha = Checks.positiveAll(NAME, "alpha", alpha);
        }
    }

    public Focal() {
        this(DEFAULT_GAMMA, DEFAULT_ALPHA);
    }

    public double gamma() {
        return gamma;
    }

    /** A copy of alpha: one value (scalar) or one per class. */
    public double[] alpha() {
        return alpha.clone();
    }

    public boolean alphaDisabled() {
        return alpha.length == 1 && alpha[0] < 0;
    }

    /** The softmax (multi-class) form. */
    public SoftmaxLoss multiClass() {
        return new MultiClass();
    }

    /** The sigmoid (binary, per-output) form, as torchvision's {@code sigmoid_focal_loss}. */
    public ElementwiseLoss binary() {
        return new Binary();
    }

    /** (1 - p)^gamma, or {@code null} for gamma = 0 (a factor of one). */
    private INDArray modulatingFactor(INDArray oneMinusP) {
        return gamma == 0 ? null : StableMath.power(oneMinusP, gamma);
    }

    private final class MultiClass implements OneHotSoftmaxLoss {

        /**
         * With one-hot y, the only class with a target is t, so everything is per row: log p_t, q_t = 1 - p_t,
         * the row's value -a_t q_t^gamma log p_t and sensitivity g_t = a_t q_t^gamma (1 + gamma p_t (-log p_t)
         * / q_t), and the gradient g_t (p - y).
         */
        @Override
        public LossResult evaluateOneHot(INDArray labels, INDArray rowSums, INDArray rowWeights, INDArray logits,
                Need need) {
            INDArray alphaT = targetAlpha(labels, rowSums);
            if (rowWeights != null) {
                alphaT.muli(rowWeights);
            }
            RowSoftmax softmax = RowSoftmax.of(logits);
            // log p_t = z_t - log-normalizer; a zero (masked) row gets a finite value that alpha_t = 0 cancels
            INDArray logPT = RowSoftmax.rowDot(logits, labels).subi(softmax.logNormalizer());
            // per-row arrays from here on: their cost does not grow with the number of classes
            INDArray[] valuesAndSensitivity = gamma == 0 ? new INDArray[] {logPT.muli(alphaT).negi(), alphaT}
                    : gamma >= 1 ? rowTermsFromGammaOne(logPT, alphaT, need)
                    : rowTermsBelowGammaOne(logPT, alphaT, need);
            INDArray gradient = need.gradient()
                    ? softmax.oneHotGradientInPlace(labels, valuesAndSensitivity[1]) : null;
            return new LossResult(need.score() ? valuesAndSensitivity[0] : null, gradient);
        }

        /**
         * gamma >= 1. With e = p_t - 1 = -q and m = -a_t q^(gamma - 1), finite here, both outputs are multiples
         * of m without a division by q: the value m q log p_t and the sensitivity m (e + gamma p_t log p_t).
         * Returns {values, sensitivity}; either is null when not needed. Overwrites logPT and alphaT, both
         * private to the call: at small sizes each new array costs more than the arithmetic.
         */
        private INDArray[] rowTermsFromGammaOne(INDArray logPT, INDArray alphaT, Need need) {
            // expm1 keeps q exact near p_t = 1, where 1 - exp(log p_t) would cancel
            INDArray pTMinusOne = Transforms.expm1(logPT, true);
            INDArray m = gamma == 1 ? alphaT.negi()
                    : gamma == 2 ? alphaT.muli(pTMinusOne)
                    : StableMath.power(pTMinusOne.neg(), gamma - 1).muli(alphaT).negi();
            // p_t log p_t from exp(log p_t) stays accurate where p_t is tiny, unlike (1 + e) log p_t
            INDArray pTLogPT = need.gradient() ? Transforms.exp(logPT, true).muli(logPT) : null;
            // e log p_t = -q log p_t, written over log p_t, which is not read again
            INDArray values = need.score() ? logPT.muli(pTMinusOne).muli(m).negi() : null;
            INDArray sensitivity = need.gradient()
                    ? StableMath.addScaledInPlace(pTMinusOne, gamma, pTLogPT).muli(m) : null;
            return new INDArray[] {values, sensitivity};
        }

        /**
         * 0 < gamma < 1: g = w (1 + gamma p_t (-log p_t) / q) = w + gamma p_t v / q with w = a_t q^gamma, where
         * q^(gamma - 1) is infinite at q = 0 but v / q tends to w; the floor on q only replaces 0/0 at p_t == 1,
         * where v is 0. Returns {values, sensitivity}, the sensitivity null when not needed. Overwrites logPT.
         */
        private INDArray[] rowTermsBelowGammaOne(INDArray logPT, INDArray alphaT, Need need) {
            INDArray oneMinusPT = Transforms.expm1(logPT, true).negi();
            INDArray weight = StableMath.power(oneMinusPT, gamma).muli(alphaT);
            INDArray values = logPT.mul(weight).negi();
            if (!need.gradient()) {
                return new INDArray[] {values, null};
            }
            double floor = StableMath.smallestNormal(logPT.dataType());
            INDArray ratio = Transforms.exp(logPT, false).muli(values).divi(Transforms.max(oneMinusPT, floor, false));
            return new INDArray[] {values, StableMath.addScaledInPlace(weight, gamma, ratio)};
        }

        /** alpha_t per row [minibatch, 1] as a new array: 0 for zero rows, 1 when alpha is disabled. */
        private INDArray targetAlpha(INDArray labels, INDArray rowSums) {
            if (alphaDisabled()) {
                return rowSums.dup();
            }
            if (alpha.length == 1) {
                return rowSums.mul(alpha[0]);
            }
            return labels.mmul(classFactors(labels).reshape(labels.size(1), 1));
        }

        @Override
        public INDArray classFactors(INDArray like) {
            if (alphaDisabled()) {
                return null;
            }
            if (alpha.length == 1) {
                double[] row = new double[(int) like.size(1)];
                Arrays.fill(row, alpha[0]);
                return StableMath.row(row, like);
            }
            Checks.perOutputLength(NAME, "alpha", alpha, like.size(1), true);
            return StableMath.row(alpha, like);
        }

        @Override
        public LossResult evaluate(INDArray targets, INDArray logits, Need need) {
            Softmax softmax = Softmax.of(logits);
            INDArray logP = softmax.logProbabilities();
            // 1 - p = -expm1(log p). ND4J's expm1 is exp(x) - 1 (relative error ~1e-7 at |x| = 1e-10, 0 below
            // ~1e-17), so where p rounds to 1 the factor q^gamma is 0 instead of a number below 1e-34: finite,
            // and absolutely negligible
            INDArray oneMinusP = Transforms.expm1(logP, true).negi();
            INDArray modulating = modulatingFactor(oneMinusP);
            INDArray perExample = null;
            if (need.score()) {
                INDArray terms = targets.mul(logP);
                if (modulating != null) {
                    terms.muli(modulating);
                }
                perExample = terms.sum(true, 1).negi();
            }
            INDArray gradient = null;
            if (need.gradient()) {
                INDArray sensitivities = targets;
                if (modulating != null) {
                    // d/dlog p of -t q^gamma log p, with q = 1 - p, is -t q^gamma (1 + gamma p (-log p) / q).
                    // (-log p) / q tends to 1 as p -> 1; the floor on q only replaces 0/0 at p == 1, where
                    // q^gamma is 0 and the product must be 0.
                    double floor = StableMath.smallestNormal(logP.dataType());
                    sensitivities = logP.neg().divi(Transforms.max(oneMinusP, floor, true))
                            .muli(softmax.probabilities()).muli(gamma).addi(1.0)
                            .muli(modulating).muli(targets);
                }
                gradient = softmax.gradientFromSensitivities(sensitivities);
            }
            return new LossResult(perExample, gradient);
        }
    }

    private final class Binary implements ElementwiseLoss {

        @Override
        public void checkLabels(String lossName, INDArray labels) {
            Checks.labelsInRange(lossName, labels, 0, 1);
            checkAlpha(lossName, labels);
        }

        /** A NaN label makes its cross-entropy, and so its term, NaN: the score tells. */
        @Override
        public void checkLabelsGivenFiniteScore(String lossName, INDArray labels) {
            Checks.labelsInRangeUnlessNaN(lossName, labels, 0, 1);
            checkAlpha(lossName, labels);
        }

        private void checkAlpha(String lossName, INDArray labels) {
            if (alpha.length > 1) {
                Checks.perOutputLength(NAME, "alpha", alpha, labels.size(1), true);
                for (double a : alpha) {
                    if (a > 1) {
                        throw new IllegalArgumentException(lossName + ": with a sigmoid activation every alpha must"
                                + " lie in (0, 1] (alpha weighs positives, 1 - alpha negatives), got "
                                + Arrays.toString(alpha));
                    }
                }
            } else if (alpha[0] > 1) {
                throw new IllegalArgumentException(lossName + ": with a sigmoid activation alpha must lie in [0, 1]"
                        + " or be negative (disabled), got " + alpha[0]);
            }
        }

        /**
         * With q = 1 - p_t and the cross-entropy c: l = a q^gamma c, and since dq/dx = p (1 - p)(1 - 2y) and
         * dc/dx = p - y, dl/dx = a q^(gamma - 1) [q (p - y) + gamma p (1 - p)(1 - 2y) c]. For gamma >= 1 the
         * power q^(gamma - 1) is finite, so no division by q is needed.
         */
        @Override
        public ElementwiseTerms terms(INDArray y, INDArray x, Need need) {
            INDArray p = Transforms.sigmoid(x, true);
            INDArray oneMinusP = p.rsub(1.0);
            // BCE from logits: softplus(x) - x y, finite at |x| = 1e4 where log(p) would be -inf
            INDArray crossEntropy = StableMath.addScaledInPlace(StableMath.softplusFromSigmoid(x, p, oneMinusP), -1.0,
                    x.mul(y));
            INDArray alphaT = alphaT(y);
            if (gamma == 0) {
                // the alpha-weighted cross-entropy; its derivative is p - y
                INDArray derivatives = need.gradient() ? StableMath.addScaledInPlace(p, -1.0, y) : null;
                return new ElementwiseTerms(need.score() ? timesOrItself(crossEntropy, alphaT) : null,
                        timesOrItself(derivatives, alphaT));
            }
            // p (1 - 2y) = p - 2 p y serves both 1 - p_t and the focusing term
            INDArray pY = p.mul(y);
            INDArray signedP = StableMath.addScaled(p, -2.0, pY);
            // 1 - p_t = (1 - p) y + p (1 - y) = p (1 - 2y) + y, written over the spent p y. Near p_t = 1 this
            // carries an absolute rounding error of about one ulp, where (1 - p_t)^gamma and the terms it
            // multiplies are negligible anyway
            INDArray oneMinusPt = StableMath.addScaled(y, 1.0, signedP, pY);
            // f = p (1 - p)(1 - 2y) c, over p (1 - 2y), which is spent too
            INDArray focusTerm = need.gradient() ? signedP.muli(oneMinusP).muli(crossEntropy) : null;
            if (gamma >= 1) {
                return focalTerms(p, y, oneMinusPt, focusTerm, crossEntropy, alphaT, need);
            }
            INDArray values = need.score()
                    ? timesOrItself(StableMath.power(oneMinusPt, gamma).muli(crossEntropy), alphaT) : null;
            INDArray derivatives = need.gradient()
                    ? timesOrItself(fractionalFocalDerivative(p, y, oneMinusPt, focusTerm), alphaT) : null;
            return new ElementwiseTerms(values, derivatives);
        }

        /** {@code a} times {@code factor} in place, or {@code a} itself when either is null. */
        private static INDArray timesOrItself(INDArray a, INDArray factor) {
            return a == null || factor == null ? a : a.muli(factor);
        }

        /**
         * gamma >= 1: with the common factor m = a q^(gamma - 1), the value is m q c and the derivative
         * m [q (p - y) + gamma f] with f = p (1 - p)(1 - 2y) c ({@code focusTerm}, null without a gradient).
         * Overwrites p, alphaT and the cross-entropy.
         */
        private ElementwiseTerms focalTerms(INDArray p, INDArray y, INDArray q, INDArray focusTerm,
                INDArray crossEntropy, INDArray alphaT, Need need) {
            INDArray common = alphaT;
            if (gamma != 1) {
                // q itself for gamma 2: it is only read from here on
                INDArray power = gamma == 2 ? q : StableMath.power(q, gamma - 1);
                common = alphaT == null ? power : power == q ? alphaT.muli(q) : power.muli(alphaT);
            }
            INDArray derivatives = null;
            if (need.gradient()) {
                derivatives = StableMath.addScaledInPlace(p, -1.0, y).muli(q);
                // a x + y in one pass: gamma f + q (p - y)
                StableMath.addScaledInPlace(derivatives, gamma, focusTerm);
                if (common != null) {
                    derivatives.muli(common);
                }
            }
            // the cross-entropy is spent once the focusing term has read it
            INDArray values = need.score() ? timesOrItself(crossEntropy.muli(q), common) : null;
            return new ElementwiseTerms(values, derivatives);
        }

        /**
         * The same for 0 < gamma < 1, written as q^gamma [(p - y) + gamma f / q]: q^(gamma - 1) is infinite at
         * q = 0, but f / q stays bounded (p (1 - p) <= q for y in [0, 1]) and the floor on q only replaces
         * 0/0 where both vanish. Overwrites p.
         */
        private INDArray fractionalFocalDerivative(INDArray p, INDArray y, INDArray oneMinusPt, INDArray focusTerm) {
            double floor = StableMath.smallestNormal(p.dataType());
            focusTerm.divi(Transforms.max(oneMinusPt, floor, true)).muli(gamma);
            return p.subi(y).addi(focusTerm).muli(StableMath.power(oneMinusPt, gamma));
        }

        /** alpha y + (1 - alpha)(1 - y) = (1 - alpha) + (2 alpha - 1) y, or {@code null} when disabled. */
        private INDArray alphaT(INDArray y) {
            if (alphaDisabled()) {
                return null;
            }
            if (alpha.length == 1) {
                return y.mul(2 * alpha[0] - 1).addi(1 - alpha[0]);
            }
            INDArray a = StableMath.row(alpha, y);
            INDArray scaled = Broadcast.mul(y, a.mul(2.0).subi(1.0), null);
            return Broadcast.add(scaled, a.rsub(1.0), null);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Focal other && gamma == other.gamma && Arrays.equals(alpha, other.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gamma, Arrays.hashCode(alpha));
    }

    @Override
    public String toString() {
        return "Focal(gamma=" + gamma + ", alpha=" + Arrays.toString(alpha) + ")";
    }
}
