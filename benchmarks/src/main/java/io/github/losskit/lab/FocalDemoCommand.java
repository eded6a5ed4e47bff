package io.github.losskit.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options and report of {@link FocalDemo}. */
@Command(name = FocalDemoCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        description = {
            "Compares focal loss with cross-entropy on an imbalanced (1:10) binary problem.",
            "Trains the same small MLP twice, once with each loss, from the same initial weights on the same"
                    + " minibatches, and prints per-class precision, recall and F1 on a held-out test split and"
                    + " the minority test rows that only one of the two found. Writes the numbers to"
                    + " DIR/summary.json; the same seed gives the same numbers."
        })
final class FocalDemoCommand implements Callable<Integer> {

    static final String NAME = "focal-demo";
    static final String SUMMARY_FILE = "summary.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the data, the initial weights and the minibatch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
            description = "Passes over the training split for each loss, >= 1 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--gamma", defaultValue = "2", paramLabel = "G",
            description = "Focusing parameter of the focal loss, >= 0; 0 gives alpha-scaled cross-entropy"
                    + " (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--alpha", defaultValue = "0.25", paramLabel = "A",
            description = "Alpha of the focal loss. The network ends in a softmax, where LossFocal multiplies every"
                    + " class by a scalar alpha, so it scales the loss rather than weighing the classes (and Adam all"
                    + " but ignores the scale); negative disables it (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--out", defaultValue = "target/losskit/focal-demo", paramLabel = "DIR",
            description = "Directory for " + SUMMARY_FILE + ", created if missing; relative to the current"
                    + " directory, which ./losskit sets to the repository root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        FocalDemo.Settings settings = checkedSettings();
        Path outputDirectory = LabFiles.writableDirectory(spec.commandLine(), out);
        long start = System.nanoTime();
        FocalDemo.Summary summary = FocalDemo.run(settings);
        double seconds = (System.nanoTime() - start) / 1e9;
        Path summaryFile = outputDirectory.resolve(SUMMARY_FILE);
        Files.writeString(summaryFile, toJson(summary), StandardCharsets.UTF_8);
        print(summary, summaryFile, seconds, spec.commandLine().getOut());
        return 0;
    }

    private FocalDemo.Settings checkedSettings() {
        if (epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new ParameterException(spec.commandLine(), "--gamma must be a finite number >= 0, got " + gamma);
        }
        FocalDemo.Settings settings = new FocalDemo.Settings(seed, epochs, gamma, alpha);
        try {
            FocalDemo.focalLoss(settings);
        } catch (IllegalArgumentException e) {
            // whatever else LossFocal rejects, reported before any training rather than after
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return settings;
    }

    static String toJson(FocalDemo.Summary summary) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        return mapper.writeValueAsString(summary) + System.lineSeparator();
    }

    private static void print(FocalDemo.Summary summary, Path summaryFile, double seconds, PrintWriter out) {
        FocalDemo.DatasetInfo data = summary.dataset();
        FocalDemo.NetworkInfo network = summary.network();
        out.printf(Locale.ROOT, "LossKit focal demo: cross-entropy vs focal loss on an imbalanced binary problem"
                + " (seed %d, %d epochs)%n", summary.seed(), summary.epochs());
        out.printf(Locale.ROOT, "data:  %s; train %d rows (%d minority), test %d rows (%d minority)%n",
                data.description(), data.train().rows(), data.train().minorityRows(), data.test().rows(),
                data.test().minorityRows());
        out.printf(Locale.ROOT, "model: %s, %s %s, minibatch %d, %s; same initial weights and minibatches for"
                + " both losses%n", network.layers(), network.updater(), network.learningRate(), network.minibatch(),
                network.dataType());
        for (FocalDemo.Run run : summary.runs()) {
            out.println();
            out.printf(Locale.ROOT, "%s: %s(%s)%n", run.name(), run.loss(), parameters(run.parameters()));
            out.printf(Locale.ROOT, "  %-12s %9s %7s %7s %8s%n", "test class", "precision", "recall", "F1",
                    "support");
            for (FocalDemo.ClassMetrics metrics : run.classes()) {
                out.printf(Locale.ROOT, "  %-12s %9.3f %7.3f %7.3f %8d%n", metrics.index() + " " + metrics.label(),
                        metrics.precision(), metrics.recall(), metrics.f1(), metrics.support());
            }
            out.printf(Locale.ROOT, "  minority recall %.3f; final training score %.5f (its own loss, mean over"
                    + " the training split)%n", run.minorityRecall(), run.finalTrainingScore());
        }
        out.println();
        out.println("verdict: " + summary.verdict());
        out.printf(Locale.ROOT, "summary: %s (%.1f s)%n", summaryFile.toAbsolutePath().normalize(), seconds);
        out.flush();
    }

    private static String parameters(Map<String, Object> parameters) {
        return parameters.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + (entry.getValue() instanceof double[] values
                        ? Arrays.toString(values) : String.valueOf(entry.getValue())))
                .collect(Collectors.joining(", "));
    }
}
