package io.github.losskit.lab;

import io.github.losskit.benchmarks.BenchmarkReport;
import io.github.losskit.benchmarks.BenchmarkSuite;
import io.github.losskit.benchmarks.Measurement;
import io.github.losskit.benchmarks.NativeArrayCensus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code losskit bench}: runs the JMH suite and writes the benchmark report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the JMH benchmarks against DL4J's built-in losses and writes README.md (ratios,"
                + " targets, machine) and ratios.png into --out.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "quick",
            description = "smoke (seconds, proves the suite runs), quick (under 3 minutes) or full (about 15"
                    + " minutes, forked JVMs, both workspace modes). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--rounds", defaultValue = "1",
            description = "How many times to run the suite in a row; ratios are then medians of per-round ratios,"
                    + " which a machine whose speed drifts during the run skews less. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--out", defaultValue = "docs/benchmarks",
            description = "Directory for README.md and ratios.png. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        BenchmarkSuite.Size chosen;
        try {
            chosen = BenchmarkSuite.Size.valueOf(size.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "--size must be smoke, quick or full, got '" + size + "'");
        }
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--rounds must be at least 1, got " + rounds);
        }
        System.out.println("running the " + size + " benchmark suite" + (rounds > 1 ? " " + rounds + " times" : "")
                + "...");
        List<Measurement> measurements = BenchmarkSuite.run(chosen, rounds);
        BenchmarkReport.write(measurements, NativeArrayCensus.take("256x10"), chosen, out);
        System.out.println("report: " + out.toAbsolutePath().resolve("README.md"));
        return 0;
    }
}
