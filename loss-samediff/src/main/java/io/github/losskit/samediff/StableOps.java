package io.github.losskit.samediff;

import io.github.losskit.core.StableMath;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Numerically stable building blocks as SameDiff ops, the graph counterparts of the core's
 * {@link StableMath}. Their autodiff gradients stay finite wherever their values do.
 */
final class StableOps {

    private StableOps() {
    }

    /**
     * Log-softmax along the last dimension of [minibatch, classes] logits: z - max(z) - log(sum(exp(z - max(z)))).
     * sd.nn().logSoftmax takes the logarithm of the softmax and returns -inf where the softmax underflows
     * (logit gaps beyond ~745 in double, ~104 in float), which makes 0 * log p NaN. Shifting by the row
     * maximum keeps every exponent <= 0, so exp cannot overflow, and the row sum >= 1, so its log is finite.
     * The shift cancels in the value and, up to rounding, in the gradient.
     */
    static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable shifted = logits.sub(logits.max(true, 1));
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
    }

    /**
     * softplus(x) = log(1 + e^x) = m + log1p(e^(x - 2m)) with m = max(x, 0). ND4J's softplus evaluates
     * log(1 + e^x) literally and is infinite from x = 710 (double) or 89 (float); here the exponent
     * x - 2m = -|x| is never positive. Writing -|x| as x - 2m instead of with abs keeps the derivative at
     * x = 0 right whatever subgradient relu takes there: m' + (1 - 2m') / 2 = 1/2 for any m'.
     */
    static SDVariable softplus(SameDiff sd, SDVariable x) {
        SDVariable positivePart = sd.nn().relu(x, 0.0);
        SDVariable minusAbs = x.sub(positivePart.mul(2.0));
        return positivePart.add(sd.math().log1p(sd.math().exp(minusAbs)));
    }

    /**
     * base^gamma for base >= 0 and gamma > 0. Small integer exponents are multiplications (exact at 0 and
     * cheap). Otherwise exp(gamma log base): autodiff of pow at base = 0 multiplies an infinite derivative
     * (gamma < 1) by zero and gives NaN. The floor keeps the logarithm finite and sends no gradient below
     * it; the indicator makes the value exactly 0 at base = 0, as pow does, rather than floor^gamma.
     */
    static SDVariable power(SameDiff sd, SDVariable base, double gamma) {
        if (gamma == 1) {
            return base;
        }
        if (gamma == Math.rint(gamma) && gamma >= 2 && gamma <= 4) {
            SDVariable result = base.mul(base);
            for (int i = 2; i < gamma; i++) {
                result = result.mul(base);
            }
            return result;
        }
        double floor = StableMath.smallestNormal(base.dataType());
        SDVariable logBase = sd.math().log(sd.scalarMax(base, floor));
        SDVariable positive = base.gt(0.0).castTo(base.dataType());
        return sd.math().exp(logBase.mul(gamma)).mul(positive);
    }

    private static final double LOG_2 = Math.log(2.0);

    /**
     * A logarithm below which exp is 0 in every floating-point type (the smallest double subnormal is
     * e^-745.1, the smallest float subnormal e^-103.97): flooring a log-probability here changes no
     * probability, and keeps the log finite.
     */
    private static final double LOG_OF_ZERO = -1000.0;

    /**
     * log cosh(d) = |d| + log1p(exp(-2|d|)) - log 2, the core's {@link io.github.losskit.core.regression.LogCosh}
     * form: cosh overflows from |d| ~ 710 (double) or 89 (float), while here the exponent is never positive.
     * Autodiff gives sign(d) (1 - 2e / (1 + e)) with e = exp(-2|d|), which is tanh(d), and 0 at d = 0 (abs's
     * derivative there is sign(0) = 0). Near d = 0 the value (about d^2 / 2) and the derivative (about d)
     * are differences of numbers near 1 and carry an absolute error of about 1e-16, as in the core.
     */
    static SDVariable logCosh(SameDiff sd, SDVariable d) {
        SDVariable abs = sd.math().abs(d);
        SDVariable tail = sd.math().log1p(sd.math().exp(abs.mul(-2.0)));
        return abs.add(tail).sub(LOG_2);
    }

    /**
     * y log y for probabilities y >= 0 with 0 log 0 = 0 (the entropy part of a KL divergence). The core
     * selects 0 where y = 0; a graph cannot select without autodiff multiplying the unused branch's
     * derivative by 0, and log 0 = -inf would make that 0 * -inf = NaN. So the logarithm's argument is floored
     * at the smallest normal number instead: where y = 0 the product is 0 * (finite) = 0 in value, and the
     * derivative with respect to y, log(max(y, floor)) + [y > floor], is finite too. Below the floor (subnormal
     * y) the value differs from y log y by less than 1e-305.
     */
    static SDVariable xLogX(SameDiff sd, SDVariable y) {
        double floor = StableMath.smallestNormal(y.dataType());
        return y.mul(sd.math().log(sd.scalarMax(y, floor)));
    }

    /**
     * y log y given y = exp(logY) and log-probabilities logY <= 0 that may be -infinity (probability 0), with
     * 0 log 0 = 0. logY is floored at a value whose exponential is 0 in every type, so where y = 0 the
     * product is 0 * (finite) = 0 instead of 0 * -inf = NaN, in value and derivative; every y > 0 is unchanged.
     */
    static SDVariable xLogXOfLog(SameDiff sd, SDVariable y, SDVariable logY) {
        return y.mul(sd.scalarMax(logY, LOG_OF_ZERO));
    }
}
