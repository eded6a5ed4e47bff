package io.github.losskit.docs;

// region: lossCauchy
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.dl4j.ElementwiseLossFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cauchy (Lorentzian) loss for robust regression: l = log(1 + ((a - y) / c)^2) per output, for a prediction
 * a, a label y and a scale c > 0. Near zero it behaves like ((a - y) / c)^2; residuals far beyond c add only
 * logarithmically, so outliers pull much less than under squared error.
 */
public final class LossCauchy extends ElementwiseLossFunction {

    private static final long serialVersionUID = 1L;

    private final double scale;

    /** @param scale c > 0: residuals up to about c are treated almost quadratically */
    @JsonCreator
    public LossCauchy(@JsonProperty("scale") double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("LossCauchy: scale must be finite and > 0, got " + scale);
        }
        this.scale = scale;
    }

    // Jackson writes the configuration through getters: without this one, "scale" would be missing from the JSON
    public double getScale() {
        return scale;
    }

    @Override
    protected ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
        INDArray residual = predictions.sub(labels);
        INDArray values = null;
        if (need.score()) {
            INDArray ratio = residual.div(scale);
            values = Transforms.log1p(ratio.muli(ratio), false);
        }
        INDArray derivatives = null;
        if (need.gradient()) {
            INDArray denominator = residual.mul(residual).addi(scale * scale);
            derivatives = residual.mul(2.0).divi(denominator);
        }
        return new ElementwiseTerms(values, derivatives);
    }

    // network configurations compare their losses, e.g. after a JSON round trip
    @Override
    public boolean equals(Object o) {
        return o instanceof LossCauchy other && Double.compare(scale, other.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale);
    }

    // DL4J reports the loss by name(), which is toString()
    @Override
    public String toString() {
        return "LossCauchy(scale=" + scale + ")";
    }
}
// endregion
