package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

class FocalDemoCommandTest {

    /** Enough to exercise everything; the numbers of one epoch mean little. */
    private static final String TINY_EPOCHS = "1";

    @TempDir
    Path temp;

    record Outcome(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Outcome losskit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = LossKitCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    private static JsonNode summary(Path directory) throws IOException {
        return new ObjectMapper().readTree(directory.resolve(FocalDemoCommand.SUMMARY_FILE).toFile());
    }

    @Test
    void writesASummaryWhoseNumbersAreConsistent() throws IOException {
        Path out = temp.resolve("new/nested/dir");
        Outcome outcome = losskit("focal-demo", "--epochs", TINY_EPOCHS, "--gamma", "1.5", "--alpha", "0.5",
                "--out", out.toString());

        assertEquals(0, outcome.exitCode(), outcome.err());
        assertTrue(outcome.out().contains("verdict: "), outcome.out());
        JsonNode summary = summary(out);
        JsonNode runs = summary.get("runs");
        assertEquals(2, runs.size());
        assertEquals("LossCrossEntropy", runs.get(0).get("loss").asText());
        assertEquals("LossFocal", runs.get(1).get("loss").asText());
        assertEquals(1.5, runs.get(1).get("parameters").get("gamma").asDouble());
        assertEquals(0.5, runs.get(1).get("parameters").get("alpha").get(0).asDouble());
        assertTrue(runs.get(0).get("parameters").has("labelSmoothing"));
        int testRows = summary.get("dataset").get("test").get("rows").asInt();
        for (JsonNode run : runs) {
            String name = run.get("name").asText();
            assertTrue(Double.isFinite(run.get("finalTrainingScore").asDouble()), name);
            JsonNode classes = run.get("classes");
            assertEquals(2, classes.size(), name);
            int support = 0;
            for (JsonNode metrics : classes) {
                double precision = metrics.get("precision").asDouble();
                double recall = metrics.get("recall").asDouble();
                double f1 = metrics.get("f1").asDouble();
                double expectedF1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                String where = name + " class " + metrics.get("index");
                assertAll(where,
                        () -> assertTrue(precision >= 0 && precision <= 1, "precision " + precision),
                        () -> assertTrue(recall >= 0 && recall <= 1, "recall " + recall),
                        () -> assertEquals(expectedF1, f1, 1e-9, "F1 from precision and recall"));
                support += metrics.get("support").asInt();
            }
            assertEquals(testRows, support, name);
            assertEquals(classes.get(ImbalancedBlobs.MINORITY).get("recall").asDouble(),
                    run.get("minorityRecall").asDouble(), name);
        }
        JsonNode comparison = summary.get("minorityComparison");
        double recallDifference = runs.get(1).get("minorityRecall").asDouble()
                - runs.get(0).get("minorityRecall").asDouble();
        int minorityTestRows = summary.get("dataset").get("test").get("minorityRows").asInt();
        int netFoundByFocal = comparison.get("foundOnlyByFocal").asInt()
                - comparison.get("foundOnlyByCrossEntropy").asInt();
        assertAll("minorityComparison",
                () -> assertEquals(recallDifference, comparison.get("recallDifference").asDouble(), 1e-12),
                () -> assertEquals(recallDifference, netFoundByFocal / (double) minorityTestRows, 1e-12),
                () -> assertTrue(comparison.get("mcNemarP").asDouble() > 0
                        && comparison.get("mcNemarP").asDouble() <= 1));
        assertTrue(summary.get("verdict").asText().startsWith("focal loss "), summary.get("verdict").asText());
    }

    /** Focal loss with gamma 0 and no alpha is cross-entropy, so only a difference in the setup could show. */
    @Test
    void bothRunsShareDataInitialWeightsAndMinibatches() throws IOException {
        Outcome outcome = losskit("focal-demo", "--epochs", TINY_EPOCHS, "--gamma", "0", "--alpha", "-1", "--out",
                temp.toString());

        assertEquals(0, outcome.exitCode(), outcome.err());
        JsonNode runs = summary(temp).get("runs");
        assertEquals(runs.get(0).get("classes"), runs.get(1).get("classes"));
        assertEquals(runs.get(0).get("finalTrainingScore").asDouble(), runs.get(1).get("finalTrainingScore").asDouble(),
                1e-6);
    }

    @Test
    void theVerdictComparesTheMinorityRowsPairwise() {
        assertEquals(1.0, FocalDemo.exactMcNemarP(0, 0));
        assertEquals(1.0, FocalDemo.exactMcNemarP(3, 3));
        assertEquals(2.0 / 32, FocalDemo.exactMcNemarP(0, 5), 1e-15);
        assertEquals(2.0 * (1 + 10) / 1024, FocalDemo.exactMcNemarP(9, 1), 1e-15);
    }

    @Test
    void theSameSeedGivesTheSameSummaryAndAnotherSeedAnotherOne() throws IOException {
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");
        Path otherSeed = temp.resolve("other-seed");
        assertEquals(0, losskit("focal-demo", "--epochs", TINY_EPOCHS, "--seed", "7", "--out", first.toString())
                .exitCode());
        assertEquals(0, losskit("focal-demo", "--epochs", TINY_EPOCHS, "--seed", "7", "--out", second.toString())
                .exitCode());
        assertEquals(0, losskit("focal-demo", "--epochs", TINY_EPOCHS, "--seed", "8", "--out",
                otherSeed.toString()).exitCode());

        assertEquals(Files.readString(first.resolve(FocalDemoCommand.SUMMARY_FILE)),
                Files.readString(second.resolve(FocalDemoCommand.SUMMARY_FILE)));
        // guards the comparison above against numbers that do not depend on the seed at all
        assertNotEquals(summary(first).get("runs"), summary(otherSeed).get("runs"));
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("focal-demo", "--gamma", "-1"), "--gamma"),
                Arguments.of(List.of("focal-demo", "--gamma", "NaN"), "--gamma"),
                Arguments.of(List.of("focal-demo", "--epochs", "0"), "--epochs"),
                Arguments.of(List.of("focal-demo", "--epochs", "many"), "--epochs"),
                Arguments.of(List.of("focal-demo", "--sed", "7"), "--sed"),
                Arguments.of(List.of("no-such-command"), "no-such-command"),
                Arguments.of(List.of("focal-demo", "--out", "FILE/summaries"), "--out"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionGivesOneLineAndANonZeroExit(List<String> args, String mentioned) throws IOException {
        // a regular file where a directory must go cannot be written to even by root
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        List<String> resolved = new ArrayList<>();
        for (String arg : args) {
            resolved.add(arg.replace("FILE", file.toString()));
        }

        Outcome outcome = losskit(resolved.toArray(String[]::new));

        assertNotEquals(0, outcome.exitCode());
        assertEquals(1, outcome.errLines().size(), outcome.err());
        String message = outcome.errLines().get(0);
        assertTrue(message.contains(mentioned), message);
        assertFalse(message.contains("Exception"), message);
        assertEquals("", outcome.out());
    }

    @Test
    void helpAndVersionExitZero() {
        Outcome help = losskit("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("focal-demo"), help.out());

        Outcome demoHelp = losskit("focal-demo", "--help");
        assertEquals(0, demoHelp.exitCode());
        assertTrue(demoHelp.out().contains("--gamma"), demoHelp.out());

        Outcome version = losskit("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("losskit "), version.out());
    }
}
