package io.github.losskit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Loads the committed PyTorch reference files from the test class path ({@code /reference/*.json}). */
public final class ReferenceData {

    private ReferenceData() {
    }

    /** All cases of {@code /reference/<file>}, optionally only those of one loss. */
    public static List<ReferenceCase> load(String file, String lossOrNull) {
        try (InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /reference/" + file);
            }
            Map<String, Object> root = new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() {
            });
            List<ReferenceCase> cases = new ArrayList<>();
            for (Object o : (List<?>) root.get("cases")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) o;
                String loss = (String) c.get("loss");
                if (lossOrNull != null && !lossOrNull.equals(loss)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) c.get("params");
                cases.add(new ReferenceCase((String) c.get("name"), loss, params, matrix(c.get("logits")),
                        matrix(c.get("labels")), vector(c.get("per_example")), matrix(c.get("gradient"))));
            }
            if (cases.isEmpty()) {
                throw new IllegalStateException("no cases for " + lossOrNull + " in " + file);
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] vector(Object o) {
        List<?> list = (List<?>) o;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    private static double[][] matrix(Object o) {
        List<?> rows = (List<?>) o;
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(rows.get(i));
        }
        return out;
    }
}
