package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;

class LandscapeCommandTest {

    static final List<String> TINY = List.of("--rows", "60", "--epochs", "8", "--grid", "5", "--loss",
            "bce,hinge,cross-entropy");

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    static Path tinyRun;

    @BeforeAll
    static void runTiny() {
        tinyRun = shared.resolve("tiny");
        Lab.ok(args(tinyRun));
    }

    private static String[] args(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("landscape", "--out", out.toString()));
        args.addAll(TINY);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void writesEveryFile() {
        for (String file : List.of("summary.json", "summary.md", "task.png", "line.csv", "landscape-bce.png",
                "landscape-hinge.png", "landscape-cross-entropy.png", "plane-bce.csv", "plane-hinge.csv")) {
            assertTrue(Files.isRegularFile(tinyRun.resolve(file)), file);
        }
        Lab.assertPng(tinyRun.resolve("landscape-hinge.png"));
        Lab.assertPng(tinyRun.resolve("task.png"));
    }

    /** The line passes through the initial (t=0) and final (t=1) weights; the plane is centred on the final. */
    @Test
    void theLineAndThePlaneMeetTheTrainedWeights() {
        JsonNode losses = Lab.json(tinyRun.resolve("summary.json")).get("losses");
        assertEquals(3, losses.size());
        for (JsonNode loss : losses) {
            String id = loss.get("id").asText();
            double[] t = Lab.doubles(loss.get("line").get("t"));
            double[] line = Lab.doubles(loss.get("line").get("loss"));
            int zero = indexOf(t, 0.0);
            int one = indexOf(t, 1.0);
            double initial = loss.get("initial_loss").asDouble();
            double last = loss.get("final_loss").asDouble();
            assertEquals(initial, line[zero], 1e-12 * initial, id + " at t=0");
            assertEquals(last, line[one], 1e-9 * Math.max(last, 1e-3), id + " at t=1");
            JsonNode plane = loss.get("plane");
            assertEquals(5, plane.get("loss").size());
            assertEquals(last, plane.get("center_loss").asDouble(), 1e-9 * Math.max(last, 1e-3), id + " centre");
            assertEquals(last, plane.get("loss").get(2).get(2).asDouble(), 1e-9 * Math.max(last, 1e-3), id);
            assertTrue(plane.get("min_loss").asDouble() <= plane.get("center_loss").asDouble(), id);
            assertTrue(plane.get("max_loss").asDouble() >= plane.get("center_loss").asDouble(), id);
            assertTrue(last < initial, id + ": training lowered the loss from " + initial + " to " + last);
            // the plane file holds the same numbers, alpha fastest
            List<Map<String, String>> rows = Lab.csv(tinyRun.resolve("plane-" + id + ".csv"));
            assertEquals(25, rows.size());
            assertEquals(plane.get("loss").get(1).get(3).asDouble(), Double.parseDouble(rows.get(5 + 3).get("value")),
                    0.0);
        }
        assertEquals("LossMargin", losses.get(1).get("loss").asText());
        assertEquals("HINGE", losses.get(1).get("parameters").get("function").asText());
        assertEquals("softmax", losses.get(2).get("output_activation").asText());
    }

    private static int indexOf(double[] values, double wanted) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == wanted) {
                return i;
            }
        }
        throw new AssertionError(wanted + " not on the line's grid");
    }

    /** Li et al.'s filter-wise normalisation: each neuron's direction has the norm of its weights. */
    @Test
    void directionsAreFilterWiseNormalised() {
        Landscape.LossChoice choice = Landscape.LossChoice.BCE;
        MultiLayerNetwork net = Landscape.network(3, choice, choice.loss(0));
        INDArray direction = Landscape.direction(net, new java.util.Random(4));
        MultiLayerNetwork probe = net.clone();
        probe.setParams(direction);
        for (Map.Entry<String, INDArray> entry : net.paramTable().entrySet()) {
            INDArray d = probe.getParam(entry.getKey());
            if (entry.getKey().endsWith("_b")) {
                assertEquals(0.0, d.norm2Number().doubleValue(), entry.getKey() + ": biases do not move");
                continue;
            }
            INDArray w = entry.getValue();
            for (int column = 0; column < w.columns(); column++) {
                assertEquals(w.getColumn(column).norm2Number().doubleValue(),
                        d.getColumn(column).norm2Number().doubleValue(), 1e-12, entry.getKey() + " column " + column);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameLandscapeWhateverTheThreads() {
        Path again = temp.resolve("again");
        Path other = temp.resolve("other");
        Lab.ok(args(again, "--threads", "1"));
        Lab.ok(args(other, "--seed", "9"));
        assertEquals(Lab.read(tinyRun.resolve("summary.json")), Lab.read(again.resolve("summary.json")));
        assertNotEquals(Lab.json(tinyRun.resolve("summary.json")).get("losses"),
                Lab.json(other.resolve("summary.json")).get("losses"));
    }

    /** The other task and the other losses (the tiny run has bce, hinge and cross-entropy). */
    @Test
    void spiralsWithTheOtherLosses() {
        Lab.ok("landscape", "--task", "spirals", "--rows", "40", "--epochs", "1", "--grid", "3", "--loss",
                "focal,squared-hinge,logistic,exponential", "--out", temp.toString());
        JsonNode summary = Lab.json(temp.resolve("summary.json"));
        assertEquals("spirals", summary.get("task").asText());
        List<String> ids = new ArrayList<>();
        summary.get("losses").forEach(l -> ids.add(l.get("id").asText()));
        assertEquals(List.of("focal", "squared-hinge", "logistic", "exponential"), ids);
        summary.get("losses").forEach(l -> assertTrue(Double.isFinite(l.get("plane").get("max_loss").asDouble())));
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("--loss", "bce,nope"), List.of("'nope'", "hinge", "cross-entropy")),
                Arguments.of(List.of("--task", "circles"), List.of("--task", "moons or spirals")),
                Arguments.of(List.of("--grid", "4"), List.of("--grid", "odd")),
                Arguments.of(List.of("--span", "0"), List.of("--span")),
                Arguments.of(List.of("--gamma", "-2"), List.of("--gamma")),
                Arguments.of(List.of("--rows", "5"), List.of("--rows")),
                Arguments.of(List.of("--epochs", "0"), List.of("--epochs")));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void aBadOptionGivesOneLineAndANonZeroExit(List<String> options, List<String> mentioned) {
        List<String> args = new ArrayList<>(List.of("landscape", "--out", temp.toString()));
        args.addAll(options);
        Lab.assertOneLineError(Lab.losskit(args.toArray(String[]::new)), mentioned.toArray(String[]::new));
    }
}
