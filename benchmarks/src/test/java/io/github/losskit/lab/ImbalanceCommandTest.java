package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.JsonNode;

class ImbalanceCommandTest {

    /** Tiny: 330 rows, two gammas, no alpha, two repeats of two epochs. Enough to exercise everything. */
    static final List<String> TINY = List.of("--rows", "330", "--epochs", "2", "--repeats", "2", "--gamma", "0,2",
            "--alpha", "-1");

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    /** One tiny run that several tests read. */
    static Path tinyRun;

    @BeforeAll
    static void runTiny() {
        tinyRun = shared.resolve("tiny");
        List<String> args = new ArrayList<>(List.of("imbalance", "--out", tinyRun.toString()));
        args.addAll(TINY);
        Lab.ok(args.toArray(String[]::new));
    }

    private static String[] tiny(String... more) {
        List<String> args = new ArrayList<>(List.of("imbalance"));
        args.addAll(TINY);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("summary.json", "summary.md", "pr-curves.png", "metrics.png", "pr-curves.csv",
                "scores/repeat-1.csv", "scores/repeat-2.csv")) {
            assertTrue(Files.isRegularFile(tinyRun.resolve(file)), file);
        }
        Lab.assertPng(tinyRun.resolve("pr-curves.png"));
        Lab.assertPng(tinyRun.resolve("metrics.png"));
        String markdown = Lab.read(tinyRun.resolve("summary.md"));
        assertTrue(markdown.contains("![") && markdown.contains("pr-curves.png") && markdown.contains("| BCE |"),
                markdown);
    }

    @Test
    void oneEntryPerConfigurationWithTheLossAndItsParametersNamed() {
        JsonNode summary = Lab.json(tinyRun.resolve("summary.json"));
        assertEquals("imbalance", summary.get("command").asText());
        JsonNode configurations = summary.get("configurations");
        List<String> ids = new ArrayList<>();
        configurations.forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(List.of("bce", "weighted_bce", "focal_g0_anone", "focal_g2_anone"), ids);
        assertEquals("LossBinaryCrossEntropy", configurations.get(0).get("loss").asText());
        assertTrue(configurations.get(0).get("parameters").get("posWeight").isNull());
        assertEquals("LossFocal", configurations.get(3).get("loss").asText());
        assertEquals(2.0, configurations.get(3).get("parameters").get("gamma").asDouble());
        assertTrue(configurations.get(3).get("parameters").get("alpha").isNull(), "no alpha");

        // posWeight = negatives / positives of the training split
        JsonNode train = summary.get("dataset").get("train");
        double expected = (train.get("rows").asDouble() - train.get("positives").asDouble())
                / train.get("positives").asDouble();
        assertEquals(expected, configurations.get(1).get("parameters").get("posWeight").asDouble(), 1e-12);
        // a stratified split of 330 rows, one in eleven positive: 30 positives, 9 of them in the test split
        assertEquals(30, summary.get("dataset").get("positives").asInt());
        assertEquals(9, summary.get("dataset").get("test").get("positives").asInt());
        assertEquals(99, summary.get("dataset").get("test").get("rows").asInt());
    }

    @Test
    void meansAndStandardDeviationsAreThoseOfTheRepeats() {
        JsonNode summary = Lab.json(tinyRun.resolve("summary.json"));
        for (JsonNode configuration : summary.get("configurations")) {
            for (String metric : List.of("average_precision", "roc_auc", "best_f1", "minority_recall",
                    "minority_precision")) {
                JsonNode statistic = configuration.get("metrics").get(metric);
                double[] values = Lab.doubles(statistic.get("values"));
                assertEquals(2, values.length);
                double mean = (values[0] + values[1]) / 2;
                String where = configuration.get("id").asText() + " " + metric;
                assertAll(where,
                        () -> assertEquals(mean, statistic.get("mean").asDouble(), 1e-12),
                        () -> assertEquals(Math.abs(values[0] - values[1]) / Math.sqrt(2),
                                statistic.get("std").asDouble(), 1e-12),
                        () -> assertTrue(values[0] >= 0 && values[0] <= 1 && values[1] >= 0 && values[1] <= 1));
            }
        }
    }

    /** The AP recomputed from the written curves is the reported AP, for every configuration and repeat. */
    @Test
    void averagePrecisionRecomputedFromTheWrittenCurvesIsTheReportedOne() {
        Map<String, List<Map<String, String>>> curves = new HashMap<>();
        for (Map<String, String> row : Lab.csv(tinyRun.resolve("pr-curves.csv"))) {
            curves.computeIfAbsent(row.get("configuration") + "/" + row.get("repeat"), k -> new ArrayList<>())
                    .add(row);
        }
        JsonNode summary = Lab.json(tinyRun.resolve("summary.json"));
        for (JsonNode configuration : summary.get("configurations")) {
            double[] reported = Lab.doubles(configuration.get("metrics").get("average_precision").get("values"));
            for (int repeat = 1; repeat <= 2; repeat++) {
                List<Map<String, String>> curve = curves.get(configuration.get("id").asText() + "/" + repeat);
                double ap = 0;
                for (int i = 0; i + 1 < curve.size(); i++) {
                    ap += (value(curve.get(i), "recall") - value(curve.get(i + 1), "recall"))
                            * value(curve.get(i), "precision");
                }
                assertEquals(reported[repeat - 1], ap, 1e-12, configuration.get("id") + " repeat " + repeat);
                assertEquals(1.0, value(curve.get(curve.size() - 1), "precision"));
                assertEquals(0.0, value(curve.get(curve.size() - 1), "recall"));
            }
        }
    }

    private static double value(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    /** scores/repeat-N.csv is the input of `losskit pr`, which must find the same numbers. */
    @Test
    void thePrCommandAgreesOnTheWrittenScores() {
        JsonNode summary = Lab.json(tinyRun.resolve("summary.json"));
        for (JsonNode configuration : summary.get("configurations")) {
            String id = configuration.get("id").asText();
            Lab.Outcome outcome = Lab.ok("pr", "--csv", tinyRun.resolve("scores/repeat-2.csv").toString(), "--score",
                    id, "--label", "label", "--json", "--out", temp.resolve(id).toString());
            JsonNode pr = Lab.json(outcome.out());
            JsonNode metrics = configuration.get("metrics");
            assertEquals(metrics.get("average_precision").get("values").get(1).asDouble(),
                    pr.get("average_precision").asDouble(), 1e-12, id);
            assertEquals(metrics.get("roc_auc").get("values").get(1).asDouble(), pr.get("roc_auc").asDouble(),
                    1e-12, id);
        }
    }

    /** Focal loss with gamma 0 and no alpha is BCE; same weights and minibatches, so the same model. */
    @Test
    void focalWithGammaZeroAndNoAlphaMatchesBce() {
        JsonNode configurations = Lab.json(tinyRun.resolve("summary.json")).get("configurations");
        JsonNode bce = configurations.get(0).get("metrics");
        JsonNode focal = configurations.get(2).get("metrics");
        for (String metric : List.of("average_precision", "roc_auc", "best_f1")) {
            assertEquals(bce.get(metric).get("mean").asDouble(), focal.get(metric).get("mean").asDouble(), 1e-4,
                    metric);
        }
    }

    @Test
    void theSameSeedGivesTheSameSummaryWhateverTheThreads() {
        Path again = temp.resolve("again");
        Path otherSeed = temp.resolve("other");
        Lab.ok(tiny("--threads", "1", "--out", again.toString()));
        Lab.ok(tiny("--seed", "7", "--out", otherSeed.toString()));

        // the shared run used one thread per core
        assertEquals(Lab.read(tinyRun.resolve("summary.json")), Lab.read(again.resolve("summary.json")));
        assertEquals(Lab.read(tinyRun.resolve("pr-curves.csv")), Lab.read(again.resolve("pr-curves.csv")));
        assertNotEquals(Lab.json(tinyRun.resolve("summary.json")).get("configurations"),
                Lab.json(otherSeed.resolve("summary.json")).get("configurations"));
    }

    /** The user's CSV: string labels, an id column to ignore, the minority found as the positive class. */
    @Test
    void trainsOnACsvFile() {
        StringBuilder csv = new StringBuilder("id,f1,f2,f3,outcome\n");
        Random random = new Random(1);
        for (int row = 0; row < 240; row++) {
            boolean rare = row % 8 == 0;
            csv.append(String.format(Locale.ROOT, "r%d,%.4f,%.4f,%d,%s%n", row,
                    random.nextGaussian() + (rare ? 1.5 : 0), 100 + 10 * random.nextGaussian(), row % 3,
                    rare ? "churned" : "stayed"));
        }
        Path file = Lab.write(temp.resolve("data.csv"), csv.toString());
        Path out = temp.resolve("csv");

        Lab.Outcome outcome = Lab.ok("imbalance", "--csv", file.toString(), "--label", "outcome", "--ignore", "id",
                "--epochs", "2", "--repeats", "1", "--gamma", "2", "--alpha", "0.25", "--out", out.toString());

        JsonNode dataset = Lab.json(out.resolve("summary.json")).get("dataset");
        assertEquals(file.toString(), dataset.get("source").asText());
        assertEquals(240, dataset.get("rows").asInt());
        assertEquals(30, dataset.get("positives").asInt());
        assertEquals("'churned'", dataset.get("positive_class").asText());
        assertEquals(List.of("f1", "f2", "f3"), List.of(dataset.get("feature_names").get(0).asText(),
                dataset.get("feature_names").get(1).asText(), dataset.get("feature_names").get(2).asText()));
        assertEquals(9, dataset.get("test").get("positives").asInt(), "stratified: 30% of the 30 positives");
        assertEquals(72, dataset.get("test").get("rows").asInt());
        assertTrue(outcome.out().contains("focal γ=2 α=0.25"), outcome.out());
    }

    static Stream<Arguments> badInputs() {
        String good = "a,b,y\n" + "1,2,0\n".repeat(30) + "3,4,1\n".repeat(12);
        return Stream.of(
                Arguments.of("missing file", null, List.of("--csv", "NOFILE", "--label", "y"),
                        List.of("no such file")),
                Arguments.of("unknown label column", good, List.of("--label", "z"),
                        List.of("--label", "no column 'z'")),
                Arguments.of("non-numeric feature", "a,b,y\n1,x,0\n" + "1,2,0\n".repeat(30) + "3,4,1\n".repeat(12),
                        List.of("--label", "y"), List.of("line 2", "column 'b'", "'x' is not a number", "--ignore b")),
                Arguments.of("one class only", "a,y\n" + "1,0\n".repeat(40), List.of("--label", "y"),
                        List.of("one class only")),
                Arguments.of("too few minority rows", "a,y\n" + "1,0\n".repeat(40) + "2,1\n".repeat(4),
                        List.of("--label", "y"), List.of("too few rows of the positive class", "4")),
                Arguments.of("three labels", "a,y\n1,0\n2,1\n3,2\n", List.of("--label", "y"),
                        List.of("3 label values", "--positive")),
                Arguments.of("absent positive", good, List.of("--label", "y", "--positive", "7"),
                        List.of("--positive 7", "no such value")),
                Arguments.of("no features", "y\n0\n1\n", List.of("--label", "y"), List.of("no feature columns")),
                Arguments.of("--csv without --label", good, List.of(), List.of("--label")),
                Arguments.of("--label without --csv", null, List.of("--label", "y"), List.of("need --csv")),
                Arguments.of("--rows with --csv", good, List.of("--label", "y", "--rows", "500"), List.of("--rows")),
                Arguments.of("negative gamma", null, List.of("--gamma", "0,-1"), List.of("--gamma", "-1")),
                Arguments.of("gamma not a number", null, List.of("--gamma", "two"), List.of("--gamma", "two")),
                Arguments.of("alpha above one", null, List.of("--alpha", "1.5"), List.of("--alpha", "1.5")),
                Arguments.of("repeated gamma", null, List.of("--gamma", "1,1"), List.of("must not repeat")),
                Arguments.of("no repeats", null, List.of("--repeats", "0"), List.of("--repeats")),
                Arguments.of("no epochs", null, List.of("--epochs", "0"), List.of("--epochs")),
                Arguments.of("test fraction 1", null, List.of("--test-fraction", "1"), List.of("--test-fraction")),
                Arguments.of("too few rows", null, List.of("--rows", "50"), List.of("--rows", "110")),
                Arguments.of("no threads", null, List.of("--threads", "0"), List.of("--threads")),
                Arguments.of("out is a file", null, List.of("--out", "FILE"), List.of("--out")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineAndANonZeroExit(String name, String csv, List<String> options, List<String> mentioned) {
        List<String> args = new ArrayList<>(List.of("imbalance"));
        if (!options.contains("--out")) {
            args.addAll(List.of("--out", temp.resolve("out").toString()));
        }
        if (csv != null) {
            args.addAll(List.of("--csv", Lab.write(temp.resolve("input.csv"), csv).toString()));
        }
        for (String option : options) {
            args.add(option.equals("NOFILE") ? temp.resolve("nothing.csv").toString()
                    : option.equals("FILE") ? Lab.write(temp.resolve("a-file"), "x").resolve("sub").toString()
                    : option);
        }
        Lab.assertOneLineError(Lab.losskit(args.toArray(String[]::new)), mentioned.toArray(String[]::new));
    }

    /** `losskit` alone runs the lab's default comparison: imbalance with its defaults (made tiny here). */
    @Test
    void withoutSubcommandLosskitRunsImbalance() {
        Path out = temp.resolve("default");
        Map<String, String> tinyDefaults = new HashMap<>();
        for (int i = 0; i < TINY.size(); i += 2) {
            tinyDefaults.put("imbalance." + TINY.get(i), TINY.get(i + 1));
        }
        tinyDefaults.put("imbalance.--out", out.toString());

        Lab.Outcome outcome = Lab.losskit(Lab.defaults(tinyDefaults));

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertTrue(outcome.out().startsWith("LossKit imbalance"), outcome.out());
        JsonNode summary = Lab.json(out.resolve("summary.json"));
        assertEquals("imbalance", summary.get("command").asText());
        assertEquals(42, summary.get("seed").asLong());
        // the same numbers as the explicit tiny run with the same seed
        assertEquals(Lab.read(tinyRun.resolve("summary.json")), Lab.read(out.resolve("summary.json")));
    }
}
