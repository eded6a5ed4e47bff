package io.github.losskit.lab;

import io.github.losskit.benchmarks.BenchmarkReport;
import io.github.losskit.benchmarks.BenchmarkSuite;
import io.github.losskit.benchmarks.Measurement;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code losskit bench}: runs the JMH suite and writes the benchmark report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the JMH benchmarks against DL4J's built-in losses and writes README.md (ratios,"
                + " targets, machine) and ratios.png into --out.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "quick",
            description = "smoke (seconds, proves the suite runs), quick (under 3 minutes) or full (about 15"
                    + " minutes, forked JVMs, both workspace modes). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--out", defaultValue = "docs/benchmarks",
            description = "Directory for README.md and ratios.png. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        BenchmarkSuite.Size chosen;
        try {
            chosen = BenchmarkSuite.Size.valueOf(size.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--size must be smoke, quick or full, got '" + size + "'");
        }
        System.out.println("running the " + size + " benchmark suite...");
        List<Measurement> measurements = BenchmarkSuite.run(chosen);
        BenchmarkReport.write(measurements, chosen, out);
        System.out.println("report: " + out.toAbsolutePath().resolve("README.md"));
        return 0;
    }
}
