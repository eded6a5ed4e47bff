package io.github.losskit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rounds of the suite: times are medians over rounds, ratios medians of per-round ratios. */
class MeasurementTest {

    private static Measurement of(String candidate, Double... rounds) {
        return new Measurement("SoftmaxLossBenchmark", candidate, null, "4096x1000", "FIT", List.of(rounds));
    }

    @Test
    void medianOverRounds() {
        assertEquals(4.0, of("A", 30.0, 1.0, 4.0).medianMs());
        assertEquals(2.5, of("A", 1.0, 4.0, 2.0, 3.0).medianMs());
        assertEquals(7.0, new Measurement("B", "C", null, "256x10", "FIT", 7.0).medianMs());
    }

    @Test
    void ratiosAreTakenWithinRoundsBeforeTheMedian() {
        // the machine slows down over the rounds: within each round the candidate is about half the baseline
        Measurement candidate = of("LOSS_FOCAL", 1.0, 4.0, 30.0);
        Measurement baseline = of("DL4J_MCXENT", 2.0, 10.0, 40.0);
        assertEquals(0.5, candidate.ratioTo(baseline), 1e-15);
        // the ratio of the medians would mix rounds: 4 / 10
        assertEquals(0.4, candidate.medianMs() / baseline.medianMs(), 1e-15);
    }

    @Test
    void roundsOfOneConfigurationAreJoinedInOrder() {
        Measurement joined = of("LOSS_FOCAL", 1.0).followedBy(of("LOSS_FOCAL", 3.0));
        assertEquals(List.of(1.0, 3.0), joined.roundMedians());
        assertThrows(IllegalArgumentException.class, () -> of("LOSS_FOCAL", 1.0).followedBy(of("OTHER", 3.0)));
    }

    @Test
    void mismatchedOrEmptyRoundsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of("A", 1.0, 2.0).ratioTo(of("B", 1.0)));
        assertTrue(e.getMessage().contains("2 rounds"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("A"));
    }

    @Test
    void theReportSaysHowManyRoundsItTook() {
        List<Measurement> measurements = List.of(
                new Measurement("SoftmaxLossBenchmark", "LOSS_FOCAL", "DL4J_MCXENT", "4096x1000", "FIT",
                        List.of(1.0, 4.0, 30.0)),
                new Measurement("SoftmaxLossBenchmark", "DL4J_MCXENT", null, "4096x1000", "FIT",
                        List.of(2.0, 10.0, 40.0)));
        String markdown = BenchmarkReport.markdown(measurements, List.of(), BenchmarkSuite.Size.QUICK);
        assertTrue(markdown.contains("`./losskit bench --size quick --rounds 3`"), markdown);
        assertTrue(markdown.contains("The suite ran 3 times in a row"), markdown);
        assertTrue(markdown.contains("| LOSS_FOCAL at 4096x1000 <= 0.4 x DL4J_MCXENT | 0.50 x | missed |"), markdown);
    }

    @Test
    void theCensusSectionComparesEachLossWithItsBaseline() {
        List<NativeArrayCensus.Count> census = List.of(
                new NativeArrayCensus.Count("SoftmaxLossBenchmark", "DL4J_MCXENT", null, 10),
                new NativeArrayCensus.Count("SoftmaxLossBenchmark", "LOSS_FOCAL", "DL4J_MCXENT", 25));
        String markdown = BenchmarkReport.markdown(List.of(), census, BenchmarkSuite.Size.QUICK);
        assertTrue(markdown.contains("## Native arrays per call at 256x10"), markdown);
        assertTrue(markdown.contains("| SoftmaxLossBenchmark | LOSS_FOCAL | 25 | 2.50 (DL4J_MCXENT) |"), markdown);
        assertTrue(markdown.contains("| SoftmaxLossBenchmark | DL4J_MCXENT | 10 | - |"), markdown);
        assertFalse(BenchmarkReport.markdown(List.of(), List.of(), BenchmarkSuite.Size.QUICK)
                .contains("Native arrays"), "no section without a census");
    }
}
