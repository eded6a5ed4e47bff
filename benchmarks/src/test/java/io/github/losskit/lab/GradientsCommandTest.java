package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.JsonNode;

class GradientsCommandTest {

    @TempDir
    static Path out;

    /** Curve name to its rows (x, loss, derivative), from curves.csv. */
    static Map<String, double[][]> curves;

    @BeforeAll
    static void run() {
        Lab.ok("gradients", "--points", "201", "--gamma", "1,2", "--out", out.toString());
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (Map<String, String> row : Lab.csv(out.resolve("curves.csv"))) {
            rows.computeIfAbsent(row.get("curve"), k -> new ArrayList<>()).add(new double[] {
                Double.parseDouble(row.get("x")), Double.parseDouble(row.get("loss")),
                Double.parseDouble(row.get("derivative"))});
        }
        curves = new LinkedHashMap<>();
        rows.forEach((name, list) -> curves.put(name, list.toArray(double[][]::new)));
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("summary.json", "summary.md", "margin.png", "probability.png", "curves.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        Lab.assertPng(out.resolve("margin.png"));
        Lab.assertPng(out.resolve("probability.png"));
        assertEquals(List.of("HINGE", "SQUARED_HINGE", "EXPONENTIAL", "LOGISTIC", "binary cross-entropy",
                "focal gamma=1.0", "focal gamma=2.0"), new ArrayList<>(curves.keySet()));
        curves.values().forEach(rows -> assertEquals(201, rows.length));
    }

    @Test
    void theTabulatedLossesAreTheTextbookFormulas() {
        check("HINGE", z -> Math.max(0, 1 - z));
        check("SQUARED_HINGE", z -> Math.pow(Math.max(0, 1 - z), 2));
        check("EXPONENTIAL", z -> Math.exp(-z));
        check("LOGISTIC", z -> Math.log1p(Math.exp(-z)));
        check("binary cross-entropy", p -> -Math.log(p));
        check("focal gamma=1.0", p -> -(1 - p) * Math.log(p));
        check("focal gamma=2.0", p -> -(1 - p) * (1 - p) * Math.log(p));
    }

    private static void check(String name, DoubleUnaryOperator formula) {
        for (double[] row : curves.get(name)) {
            double expected = formula.applyAsDouble(row[0]);
            assertEquals(expected, row[1], 1e-12 * Math.max(1, Math.abs(expected)), name + " at " + row[0]);
        }
    }

    /**
     * The derivatives agree with central differences of the tabulated losses: over z for the margin family
     * (away from the hinge's kink), and over the logit for BCE and focal, where dL/dlogit = dL/dp p (1 - p).
     */
    @Test
    void theDerivativesAreThoseOfTheTabulatedLosses() {
        for (Map.Entry<String, double[][]> entry : curves.entrySet()) {
            double[][] rows = entry.getValue();
            boolean overP = !entry.getKey().equals(entry.getKey().toUpperCase(java.util.Locale.ROOT));
            for (int i = 1; i + 1 < rows.length; i++) {
                double x = rows[i][0];
                if (!overP && Math.abs(x - 1) < 0.05) {
                    continue; // the hinge family's kink
                }
                double slope = (rows[i + 1][1] - rows[i - 1][1]) / (rows[i + 1][0] - rows[i - 1][0]);
                double expected = overP ? slope * x * (1 - x) : slope;
                double step = rows[i + 1][0] - rows[i - 1][0];
                // second-order error of the central difference, relative to the curvature of these losses
                double tolerance = overP ? 0.02 * Math.max(1, Math.abs(expected)) / Math.max(x, 0.02)
                        : 2 * step * step * Math.max(1, Math.abs(rows[i][1]));
                assertEquals(expected, rows[i][2], tolerance, entry.getKey() + " at " + x);
            }
        }
    }

    @Test
    void theSummaryReadsOffTheSameNumbers() {
        JsonNode summary = Lab.json(out.resolve("summary.json"));
        JsonNode hinge = summary.get("margin").get(0);
        assertEquals("HINGE", hinge.get("name").asText());
        double[] at = Lab.doubles(hinge.get("at"));
        double[] loss = Lab.doubles(hinge.get("loss"));
        for (int i = 0; i < at.length; i++) {
            assertEquals(Math.max(0, 1 - at[i]), loss[i], 1e-15);
        }
        JsonNode gamma2 = summary.get("focal_over_bce").get(1);
        assertEquals(2.0, gamma2.get("gamma").asDouble());
        double[] p = Lab.doubles(gamma2.get("p"));
        double[] ratio = Lab.doubles(gamma2.get("loss_ratio"));
        for (int i = 0; i < p.length; i++) {
            assertEquals((1 - p[i]) * (1 - p[i]), ratio[i], 1e-12, "focal / BCE = (1 - p)^gamma");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--gamma=0", "--gamma=1,x", "--points=3", "--z-max=0", "--z-max=NaN", "--seed=1"})
    void aBadOptionGivesOneLineAndANonZeroExit(String option) {
        String name = option.substring(0, option.indexOf('='));
        Lab.assertOneLineError(Lab.losskit("gradients", option, "--out", out.resolve("bad").toString()), name);
    }
}
