package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@link BinaryMetrics} against scikit-learn (tools/reference/generate_pr.py writes the reference). */
class BinaryMetricsTest {

    static final double TOLERANCE = 1e-12;

    /** One case of reference/pr.json. */
    record Reference(String name, double[] scores, boolean[] positive, int[] labels, double averagePrecision,
            double rocAuc, double[] precision, double[] recall, double[] thresholds) {

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Reference> references() {
        try (InputStream in = BinaryMetricsTest.class.getResourceAsStream("/reference/pr.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            assertTrue(root.get("sklearn_version").asText().startsWith("1."), "generated with scikit-learn 1.x");
            List<Reference> references = new ArrayList<>();
            for (JsonNode node : root.get("cases")) {
                JsonNode y = node.get("y_true");
                int[] labels = new int[y.size()];
                boolean[] positive = new boolean[y.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = y.get(i).asInt();
                    positive[i] = labels[i] == 1;
                }
                references.add(new Reference(node.get("name").asText(), Lab.doubles(node.get("y_score")), positive,
                        labels, node.get("average_precision").asDouble(), node.get("roc_auc").asDouble(),
                        Lab.doubles(node.get("precision")), Lab.doubles(node.get("recall")),
                        Lab.doubles(node.get("thresholds"))));
            }
            return references;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Reference> cases() {
        return references().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitLearn(Reference reference) {
        BinaryMetrics.PrCurve curve = BinaryMetrics.precisionRecallCurve(reference.scores(), reference.positive());
        assertAll(reference.name(),
                () -> assertArrayEquals(reference.thresholds(), curve.thresholds(), 0.0, "thresholds"),
                () -> assertArrayEquals(reference.precision(), curve.precision(), TOLERANCE, "precision"),
                () -> assertArrayEquals(reference.recall(), curve.recall(), TOLERANCE, "recall"),
                () -> assertEquals(reference.averagePrecision(), BinaryMetrics.averagePrecision(curve), TOLERANCE,
                        "average precision"),
                () -> assertEquals(reference.rocAuc(), BinaryMetrics.rocAuc(reference.scores(),
                        reference.positive()), TOLERANCE, "ROC AUC"));
    }

    @Test
    void theReferenceHasTheTiesItIsMeantToTest() {
        List<Reference> references = references();
        long withTies = references.stream()
                .filter(r -> r.thresholds().length < r.scores().length).count();
        assertTrue(withTies >= 6, "cases with tied scores: " + withTies);
        assertTrue(references.stream().anyMatch(r -> r.thresholds().length == 1), "an all-tied case");
        assertTrue(references.stream().anyMatch(r -> java.util.Arrays.stream(r.labels()).anyMatch(l -> l == -1)),
                "a -1/+1 case");
    }

    /** scikit-learn's documentation example, by hand: AP = (1/2)(1) + (1/2)(2/3)... as the step sum. */
    @Test
    void theDocumentationExampleByHand() {
        double[] scores = {0.1, 0.4, 0.35, 0.8};
        boolean[] positive = {false, false, true, true};
        BinaryMetrics.PrCurve curve = BinaryMetrics.precisionRecallCurve(scores, positive);
        assertArrayEquals(new double[] {0.1, 0.35, 0.4, 0.8}, curve.thresholds());
        assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, curve.precision(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0}, curve.recall(), 1e-15);
        // steps: (1 - 1) 0.5 + (1 - 0.5) 2/3 + (0.5 - 0.5) 0.5 + (0.5 - 0) 1
        assertEquals(0.5 * 2 / 3 + 0.5, BinaryMetrics.averagePrecision(curve), 1e-15);
        assertEquals(0.75, BinaryMetrics.rocAuc(scores, positive), 1e-15);
    }

    /** The AUC is the chance that a random positive outscores a random negative, ties counting one half. */
    @Test
    void rocAucIsTheMannWhitneyStatisticWithTies() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 4.0; // few distinct values: many ties
                positive[i] = i == 0 || i != 1 && random.nextDouble() < 0.3;
            }
            double pairs = 0;
            int positives = 0;
            int negatives = 0;
            for (int i = 0; i < n; i++) {
                positives += positive[i] ? 1 : 0;
                negatives += positive[i] ? 0 : 1;
                for (int j = 0; j < n; j++) {
                    if (positive[i] && !positive[j]) {
                        pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            assertEquals(pairs / ((double) positives * negatives), BinaryMetrics.rocAuc(scores, positive), 1e-12);
        }
    }

    @Test
    void bestF1AndTheDecisionAtAThreshold() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.2};
        boolean[] positive = {true, false, true, false, true};
        BinaryMetrics.BestF1 best = BinaryMetrics.bestF1(BinaryMetrics.precisionRecallCurve(scores, positive));
        // at >= 0.2 everything is positive: precision 3/5, recall 1, F1 0.75, the best
        assertEquals(0.75, best.f1(), 1e-15);
        assertEquals(0.2, best.threshold());
        BinaryMetrics.AtThreshold decision = BinaryMetrics.atThreshold(scores, positive, 0.65);
        assertEquals(2.0 / 3, decision.precision(), 1e-15);
        assertEquals(2.0 / 3, decision.recall(), 1e-15);
        assertEquals(0.0, BinaryMetrics.atThreshold(scores, positive, 0.95).precision());
    }

    @Test
    void oneClassOrANonFiniteScoreIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.averagePrecision(new double[] {0.1, 0.2}, new boolean[] {true, true}));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.rocAuc(new double[] {0.1, Double.NaN}, new boolean[] {true, false}));
    }
}
