package io.github.losskit.samediff.multitask;

import io.github.losskit.samediff.UncertaintyWeightingForm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The uncertainty-weighting cases of the PyTorch reference {@code /reference/multitask.json} (tools/reference). */
final class MultiTaskReference {

    private MultiTaskReference() {
    }

    /** Kendall's total of scalar task losses, and its gradients with respect to s and to the losses. */
    record Weighting(String name, UncertaintyWeightingForm[] forms, double[] logVariances, double[] taskLosses,
            double total, double[] gradLogVariances, double[] gradTaskLosses) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A classification [0, 4) + smooth L1 box [4, 6) + KL distribution [6, 9) head: the total of the tasks' mean
     * losses per example, and its gradients with respect to the logits and to s.
     */
    record Head(String name, double beta, UncertaintyWeightingForm[] forms, double[] logVariances, double[][] logits,
            double[][] labels, double[] taskMeans, double total, double[][] gradLogits, double[] gradLogVariances) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Weighting> weighting() {
        return cases("weighting").stream().map(c -> new Weighting((String) c.get("name"), forms(c.get("forms")),
                vector(c.get("log_variances")), vector(c.get("task_losses")), number(c.get("total")),
                vector(c.get("grad_log_variances")), vector(c.get("grad_task_losses")))).toList();
    }

    static List<Head> heads() {
        return cases("uncertainty_heads").stream().map(c -> new Head((String) c.get("name"),
                number(c.get("smooth_l1_beta")), forms(c.get("forms")), vector(c.get("log_variances")),
                matrix(c.get("logits")), matrix(c.get("labels")), vector(c.get("task_means")), number(c.get("total")),
                matrix(c.get("grad_logits")), vector(c.get("grad_log_variances")))).toList();
    }

    private static List<Map<?, ?>> cases(String kind) {
        try (InputStream in = MultiTaskReference.class.getResourceAsStream("/reference/multitask.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /reference/multitask.json (loss-core's test"
                        + " jar)");
            }
            Map<String, Object> root = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() {
            });
            return ((List<?>) root.get(kind)).stream().<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UncertaintyWeightingForm[] forms(Object o) {
        return ((List<?>) o).stream().map(f -> UncertaintyWeightingForm.valueOf(((String) f).toUpperCase(Locale.ROOT)))
                .toArray(UncertaintyWeightingForm[]::new);
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    private static double[] vector(Object o) {
        return ((List<?>) o).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[][] matrix(Object o) {
        return ((List<?>) o).stream().map(MultiTaskReference::vector).toArray(double[][]::new);
    }
}
