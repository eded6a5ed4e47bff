package io.github.losskit.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the JMH suite in one of three sizes and turns JMH's results into {@link Measurement}s. */
public final class BenchmarkSuite {

    /** How much of the suite to run, and how carefully. */
    public enum Size {
        /** One short iteration of every benchmark at the small shape, in process: proves the suite runs. */
        SMOKE,
        /** Both shapes inside the fit workspace, in process, short iterations: under three minutes. */
        QUICK,
        /** Both shapes, inside and outside the workspace, forked JVMs, longer iterations. */
        FULL
    }

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite {@code rounds} times in a row and returns one measurement per configuration, holding each
     * round's median: ratios are then taken within rounds ({@link Measurement#ratioTo}).
     */
    public static List<Measurement> run(Size size, int rounds) throws RunnerException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        List<Measurement> merged = run(size);
        for (int round = 1; round < rounds; round++) {
            List<Measurement> next = run(size);
            List<Measurement> combined = new ArrayList<>();
            for (Measurement m : merged) {
                Measurement again = next.stream().filter(m::sameConfiguration).findFirst()
                        .orElseThrow(() -> new IllegalStateException("round without " + m));
                combined.add(m.followedBy(again));
            }
            merged = combined;
        }
        return merged;
    }

    public static List<Measurement> run(Size size) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(BenchmarkSuite.class.getPackageName() + "\\..*Benchmark\\.")
                .shouldFailOnError(true)
                .verbosity(size == Size.FULL ? VerboseMode.NORMAL : VerboseMode.SILENT);
        switch (size) {
            case SMOKE -> options.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(50)).param("shape", "256x10")
                    .param("embeddingShape", "1024x128").param("workspace", "FIT");
            case QUICK -> options.forks(0).warmupIterations(2).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(400)).param("workspace", "FIT");
            case FULL -> options.forks(1).jvmArgsAppend("-Xmx6g").warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Measurement> measurements = new ArrayList<>();
        for (RunResult result : results) {
            measurements.add(toMeasurement(result));
        }
        return measurements;
    }

    private static Measurement toMeasurement(RunResult result) {
        var params = result.getParams();
        String method = params.getBenchmark();
        String className = method.substring(0, method.lastIndexOf('.'));
        String benchmark = className.substring(className.lastIndexOf('.') + 1);
        String candidate = params.getParam("loss") == null ? "ND4J_ADD" : params.getParam("loss");
        String workspace = params.getParam("workspace") == null ? "FIT" : params.getParam("workspace");
        String shape = params.getParam("shape") != null ? params.getParam("shape") : params.getParam("embeddingShape");
        return new Measurement(benchmark, candidate, baselineOf(className, candidate), shape, workspace, result.getPrimaryResult().getStatistics().getPercentile(50.0));
    }

    /** Asks the benchmark's own Candidate enum what the candidate is compared with. */
    private static String baselineOf(String className, String candidate) {
        try {
            Class<?> candidates = Class.forName(className + "$Candidate");
            Object value = candidates.getMethod("valueOf", String.class).invoke(null, candidate);
            Object baseline = candidates.getMethod("baseline").invoke(value);
            return baseline == null ? null : ((Enum<?>) baseline).name();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the baseline of " + candidate + " in " + className, e);
        }
    }
}
