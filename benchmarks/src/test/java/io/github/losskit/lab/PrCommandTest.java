package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.JsonNode;

class PrCommandTest {

    @TempDir
    Path temp;

    /** The scikit-learn reference cases, through the command line: CSV in, --json out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.losskit.lab.BinaryMetricsTest#cases")
    void theJsonOfTheCommandMatchesScikitLearn(BinaryMetricsTest.Reference reference) {
        StringBuilder csv = new StringBuilder("id,y,model score\n");
        for (int i = 0; i < reference.scores().length; i++) {
            // repr-precision doubles, as Python wrote them, with quotes and spaces to exercise the CSV reader
            csv.append(i).append(",").append(reference.labels()[i]).append(", \"")
                    .append(reference.scores()[i]).append("\"\n");
        }
        Path file = Lab.write(temp.resolve("scores.csv"), csv.toString());

        Lab.Outcome outcome = Lab.ok("pr", "--csv", file.toString(), "--score", "model score", "--label", "y",
                "--json", "--out", temp.resolve("out").toString());

        assertEquals(1, outcome.out().lines().count(), "one JSON object on one line");
        JsonNode json = Lab.json(outcome.out());
        assertEquals(List.of("average_precision", "roc_auc", "precision", "recall", "thresholds"),
                iterable(json.fieldNames()));
        assertAll(reference.name(),
                () -> assertEquals(reference.averagePrecision(), json.get("average_precision").asDouble(), 1e-12),
                () -> assertEquals(reference.rocAuc(), json.get("roc_auc").asDouble(), 1e-12),
                () -> assertArrayEquals(reference.precision(), Lab.doubles(json.get("precision")), 1e-12),
                () -> assertArrayEquals(reference.recall(), Lab.doubles(json.get("recall")), 1e-12),
                () -> assertArrayEquals(reference.thresholds(), Lab.doubles(json.get("thresholds")), 0.0));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void theDefaultExampleWritesConsistentFiles() {
        Path out = temp.resolve("pr");
        Lab.Outcome outcome = Lab.ok("pr", "--out", out.toString());

        assertTrue(outcome.out().contains("average precision"), outcome.out());
        for (String file : List.of("summary.json", "summary.md", "curve.csv", "pr-roc.png", "scores.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        Lab.assertPng(out.resolve(PrCommand.FIGURE));
        JsonNode summary = Lab.json(out.resolve("summary.json"));
        assertEquals("pr", summary.get("command").asText());
        assertEquals(550, summary.get("rows").asInt());
        assertEquals(50, summary.get("positives").asInt());
        assertTrue(summary.get("distinct_scores").asInt() < 200, "the example has ties");

        // the AP recomputed from the written curve is the reported AP
        List<Map<String, String>> curve = Lab.csv(out.resolve(PrCommand.CURVE_CSV));
        double ap = 0;
        for (int i = 0; i + 1 < curve.size(); i++) {
            ap += (Double.parseDouble(curve.get(i).get("recall")) - Double.parseDouble(curve.get(i + 1).get("recall")))
                    * Double.parseDouble(curve.get(i).get("precision"));
        }
        assertEquals(summary.get("average_precision").asDouble(), ap, 1e-12);
        assertEquals(summary.get("distinct_scores").asInt() + 1, curve.size());
        assertEquals("", curve.get(curve.size() - 1).get("threshold"), "the last point has no threshold");

        // the example file through --csv gives the same numbers
        Path again = temp.resolve("again");
        Lab.ok("pr", "--csv", out.resolve("scores.csv").toString(), "--score", "score", "--label", "label", "--out",
                again.toString());
        JsonNode fromCsv = Lab.json(again.resolve("summary.json"));
        assertEquals(summary.get("average_precision"), fromCsv.get("average_precision"));
        assertEquals(summary.get("roc_auc"), fromCsv.get("roc_auc"));
        assertEquals(summary.get("precision"), fromCsv.get("precision"));
    }

    @Test
    void theSeedFixesTheExample() {
        Lab.ok("pr", "--seed", "5", "--out", temp.resolve("a").toString());
        Lab.ok("pr", "--seed", "5", "--out", temp.resolve("b").toString());
        Lab.ok("pr", "--seed", "6", "--out", temp.resolve("c").toString());
        assertEquals(Lab.read(temp.resolve("a/summary.json")), Lab.read(temp.resolve("b/summary.json")));
        assertNotEquals(Lab.json(temp.resolve("a/summary.json")).get("average_precision"),
                Lab.json(temp.resolve("c/summary.json")).get("average_precision"));
    }

    @Test
    void namedPositiveLabels() {
        Path file = Lab.write(temp.resolve("named.csv"), "p,truth\n0.9,spam\n0.2,ham\n0.7,ham\n0.8,spam\n");
        Lab.Outcome outcome = Lab.ok("pr", "--csv", file.toString(), "--score", "p", "--label", "truth",
                "--positive", "spam", "--json", "--out", temp.resolve("o").toString());
        JsonNode json = Lab.json(outcome.out());
        assertEquals(1.0, json.get("average_precision").asDouble(), 1e-15);
        assertEquals(1.0, json.get("roc_auc").asDouble(), 1e-15);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("missing file", null, List.of("--csv", "NOFILE", "--score", "s", "--label", "y"),
                        List.of("no such file", "nothing-here.csv")),
                Arguments.of("unknown score column", "s,y\n0.5,1\n0.4,0\n",
                        List.of("--score", "score", "--label", "y"), List.of("--score", "no column 'score'", "s, y")),
                Arguments.of("unknown label column", "s,y\n0.5,1\n0.4,0\n", List.of("--score", "s", "--label", "t"),
                        List.of("--label", "no column 't'")),
                Arguments.of("non-numeric score", "s,y\n0.5,1\nhigh,0\n", List.of("--score", "s", "--label", "y"),
                        List.of("line 3", "'s'", "'high' is not a number")),
                Arguments.of("empty score", "s,y\n0.5,1\n,0\n", List.of("--score", "s", "--label", "y"),
                        List.of("line 3", "an empty field is not a number")),
                Arguments.of("NaN score", "s,y\n0.5,1\nNaN,0\n", List.of("--score", "s", "--label", "y"),
                        List.of("line 3", "'NaN' is not a finite number")),
                Arguments.of("one class only", "s,y\n0.5,1\n0.4,1\n", List.of("--score", "s", "--label", "y"),
                        List.of("one class only", "'1'")),
                Arguments.of("labels not 0/1", "s,y\n0.5,a\n0.4,b\n", List.of("--score", "s", "--label", "y"),
                        List.of("--positive", "a, b")),
                Arguments.of("absent positive", "s,y\n0.5,a\n0.4,b\n",
                        List.of("--score", "s", "--label", "y", "--positive", "c"), List.of("--positive c", "a, b")),
                Arguments.of("empty label", "s,y\n0.5,1\n0.4,\n", List.of("--score", "s", "--label", "y"),
                        List.of("line 3", "label column 'y' is empty")),
                Arguments.of("empty file", "", List.of("--score", "s", "--label", "y"), List.of("is empty")),
                Arguments.of("header only", "s,y\n", List.of("--score", "s", "--label", "y"), List.of("no rows")),
                Arguments.of("ragged row", "s,y\n0.5,1\n0.4,0,7\n", List.of("--score", "s", "--label", "y"),
                        List.of("line 3 has 3 fields, the header 2")),
                Arguments.of("bad quotes", "s,y\n0.5,1\n\"0.4,0\n", List.of("--score", "s", "--label", "y"),
                        List.of("not valid CSV")),
                Arguments.of("no --score", "s,y\n0.5,1\n", List.of("--label", "y"), List.of("--score")),
                Arguments.of("--label without --csv", null, List.of("--label", "y"), List.of("need --csv")),
                Arguments.of("unknown option", null, List.of("--scores", "s"), List.of("--scores")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineAndANonZeroExit(String name, String csv, List<String> options, List<String> mentioned) {
        List<String> args = new ArrayList<>(List.of("pr", "--out", temp.resolve("out").toString()));
        if (csv != null) {
            args.addAll(List.of("--csv", Lab.write(temp.resolve("input.csv"), csv).toString()));
        }
        for (String option : options) {
            args.add(option.equals("NOFILE") ? temp.resolve("nothing-here.csv").toString() : option);
        }

        Lab.assertOneLineError(Lab.losskit(args.toArray(String[]::new)), mentioned.toArray(String[]::new));
    }
}
