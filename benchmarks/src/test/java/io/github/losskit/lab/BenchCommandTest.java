package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument checks of {@code losskit bench}; the suite itself runs in BenchmarkSuiteSmokeTest. */
class BenchCommandTest {

    @TempDir
    Path temp;

    @Test
    void roundsBelowOneAreRefusedBeforeAnythingRuns() {
        Lab.Outcome outcome = Lab.losskit("bench", "--rounds", "0", "--out", temp.resolve("report").toString());
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertTrue(outcome.err().contains("--rounds must be at least 1, got 0"), outcome.err());
        assertFalse(Files.exists(temp.resolve("report")));
    }

    @Test
    void anUnknownSizeIsRefused() {
        Lab.Outcome outcome = Lab.losskit("bench", "--size", "huge", "--out", temp.toString());
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertTrue(outcome.err().contains("--size must be smoke, quick or full, got 'huge'"), outcome.err());
    }
}
