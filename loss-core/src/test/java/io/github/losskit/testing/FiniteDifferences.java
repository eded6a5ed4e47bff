package io.github.losskit.testing;

import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences of a scalar function of an array, in double precision. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** d f / d x by (f(x + h) - f(x - h)) / 2h per element; {@code x} is restored after each probe. */
    public static INDArray gradient(ToDoubleFunction<INDArray> f, INDArray x, double h) {
        INDArray probe = x.dup();
        INDArray grad = x.ulike();
        long n = probe.length();
        for (long i = 0; i < n; i++) {
            double original = probe.getDouble(i);
            probe.putScalar(i, original + h);
            double up = f.applyAsDouble(probe);
            probe.putScalar(i, original - h);
            double down = f.applyAsDouble(probe);
            probe.putScalar(i, original);
            grad.putScalar(i, (up - down) / (2 * h));
        }
        return grad;
    }
}
