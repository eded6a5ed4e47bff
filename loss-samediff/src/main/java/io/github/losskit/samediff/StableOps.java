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
}
