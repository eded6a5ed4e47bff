package io.github.losskit.testing;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One case of a PyTorch-generated reference file (see tools/reference): inputs, the loss's parameters, and
 * the expected per-example losses and gradient of their sum, all in float64.
 */
public record ReferenceCase(String name, String loss, Map<String, Object> params, double[][] logits,
        double[][] labels, double[] perExample, double[][] gradient) {

    public INDArray logitsArray() {
        return Nd4j.createFromArray(logits);
    }

    public INDArray labelsArray() {
        return Nd4j.createFromArray(labels);
    }

    public INDArray perExampleColumn() {
        return Nd4j.createFromArray(perExample).reshape(perExample.length, 1);
    }

    public INDArray gradientArray() {
        return Nd4j.createFromArray(gradient);
    }

    /** A numeric parameter. */
    public double number(String key) {
        Object v = params.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException(name + ": parameter " + key + " is not a number: " + v);
        }
        return n.doubleValue();
    }

    /** A list parameter as an array, a number as a one-element array, or null. */
    public double[] numbers(String key) {
        Object v = params.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        List<?> list = (List<?>) v;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
