package io.github.losskit.dl4j.multitask;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The static-weight heads of the PyTorch reference {@code /reference/multitask.json} (tools/reference). */
record MultiTaskReference(String name, double beta, double[] weights, double[][] logits, double[][] labels,
        double[] perExample, double[][] gradient) {

    static List<MultiTaskReference> staticHeads() {
        try (InputStream in = MultiTaskReference.class.getResourceAsStream("/reference/multitask.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /reference/multitask.json (loss-core's"
                        + " test jar)");
            }
            Map<String, Object> root = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() {
            });
            return ((List<?>) root.get("static_heads")).stream().map(o -> {
                Map<?, ?> c = (Map<?, ?>) o;
                return new MultiTaskReference((String) c.get("name"), ((Number) c.get("smooth_l1_beta")).doubleValue(),
                        vector(c.get("weights")), matrix(c.get("logits")), matrix(c.get("labels")),
                        vector(c.get("per_example")), matrix(c.get("gradient")));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    INDArray logitsArray() {
        return Nd4j.createFromArray(logits);
    }

    INDArray labelsArray() {
        return Nd4j.createFromArray(labels);
    }

    INDArray perExampleColumn() {
        return Nd4j.createFromArray(perExample).reshape(perExample.length, 1);
    }

    INDArray gradientArray() {
        return Nd4j.createFromArray(gradient);
    }

    private static double[] vector(Object o) {
        return ((List<?>) o).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[][] matrix(Object o) {
        return ((List<?>) o).stream().map(MultiTaskReference::vector).toArray(double[][]::new);
    }

    @Override
    public String toString() {
        return name;
    }
}
