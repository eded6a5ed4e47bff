package io.github.losskit.core.curves;

/**
 * A loss tabulated over one variable: {@code loss[i]} and its {@code derivative[i]} at {@code x[i]}.
 *
 * @param name       what was tabulated, e.g. "HINGE" or "focal gamma=2.0"
 * @param xLabel     what x is, e.g. "margin z" or "probability of the true class p"
 * @param derivativeLabel with respect to what the derivative is taken
 */
public record Curve(String name, String xLabel, String derivativeLabel, double[] x, double[] loss,
        double[] derivative) {
}
