package io.github.losskit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark once at the smallest configuration and writes the report: proves the suite and the
 * report work. Timings are not asserted (and mean nothing at this size).
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void everyBenchmarkRunsAndTheReportListsIt(@TempDir Path out) throws Exception {
        List<Measurement> measurements = BenchmarkSuite.run(BenchmarkSuite.Size.SMOKE);
        Set<String> benchmarks = measurements.stream().map(Measurement::benchmark).collect(Collectors.toSet());
        assertEquals(Set.of("BandwidthBenchmark", "SoftmaxLossBenchmark", "SigmoidLossBenchmark",
                "RegressionLossBenchmark", "MarginLossBenchmark", "SameDiffLossBenchmark", "EmbeddingLossBenchmark"),
                benchmarks);
        for (Measurement m : measurements) {
            assertEquals(m.benchmark().equals("EmbeddingLossBenchmark") ? "1024x128" : "256x10", m.shape(),
                    m.toString());
            assertTrue(m.medianMs() > 0 && Double.isFinite(m.medianMs()), m.toString());
            if (m.candidate().startsWith("LOSS_") || m.candidate().startsWith("SDLOSSES_")) {
                assertTrue(m.baseline() != null, "every LossKit candidate names its baseline: " + m);
            }
        }
        List<NativeArrayCensus.Count> census = NativeArrayCensus.take("256x10");
        String markdown = BenchmarkReport.write(measurements, census, BenchmarkSuite.Size.SMOKE, out);
        for (NativeArrayCensus.Count count : census) {
            assertTrue(markdown.contains("| " + count.benchmark() + " | " + count.candidate() + " | "
                    + count.pointers() + " |"), count.toString());
        }
        for (Measurement m : measurements) {
            assertTrue(markdown.contains("| " + m.benchmark() + " | " + m.candidate() + " | " + m.shape() + " |"),
                    m.toString());
        }
        assertTrue(markdown.contains("## Targets"));
        assertTrue(Files.size(out.resolve("ratios.png")) > 1000, "the chart was written");
    }
}
