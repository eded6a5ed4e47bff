package io.github.losskit.dl4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Serialization compatibility: the JSON each loss configuration had when it was committed must still read
 * back as the same configuration. A change that renames a field or a class breaks saved models, and this
 * test, before it reaches users. New configurations get their golden file with
 * {@code -Dlosskit.writeGolden=true}; an existing golden file is never rewritten by the test.
 */
class GoldenJsonTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final ObjectMapper MAPPER = NeuralNetConfiguration.mapper();

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    /** The metric losses (contrastive and triplet, every mode of the metric tests' catalog). */
    static List<MetricCases.Metric> metricLosses() {
        return MetricCases.all();
    }

    private static Path fileOf(String name) {
        return GOLDEN.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void committedJsonStillReadsAsTheSameLoss(LossCase c) throws IOException {
        assertGoldenReadsAs(c.name(), c.newLoss());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metricLosses")
    void committedJsonOfMetricLossesStillReadsAsTheSameLoss(MetricCases.Metric c) throws IOException {
        assertGoldenReadsAs(c.name(), c.newLoss());
    }

    private static void assertGoldenReadsAs(String name, ILossFunction loss) throws IOException {
        Path file = fileOf(name);
        if (!Files.exists(file) && Boolean.getBoolean("losskit.writeGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(loss) + "\n");
        }
        assertTrue(Files.exists(file), "no golden JSON for '" + name + "': run the tests once with"
                + " -Dlosskit.writeGolden=true and commit " + file);
        ILossFunction restored = MAPPER.readValue(Files.readString(file), ILossFunction.class);
        assertEquals(loss, restored);
    }
}
