package io.github.losskit.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options, files and report of {@link Imbalance}. */
@Command(name = ImbalanceCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        sortOptions = false,
        header = "BCE, weighted BCE and focal loss (gamma sweep) at 1:10 imbalance: AP, ROC AUC, best F1,"
                + " minority recall.",
        description = {
            "Focal tuning at 1:10 class imbalance: trains the same MLP (sigmoid output) with binary cross-entropy,"
                    + " weighted BCE (posWeight = negatives/positives of the training split) and focal loss for"
                    + " every gamma and alpha, and ranks the test split by average precision, ROC AUC, best F1 and"
                    + " minority recall (mean ± std over --repeats).",
            "Data: an embedded synthetic set, or --csv FILE --label COLUMN (numeric features, standardised on the"
                    + " training split; stratified train/test split).",
            "Writes summary.json, summary.md, pr-curves.png, metrics.png, pr-curves.csv and scores/repeat-N.csv"
                    + " (test-split probabilities, for `losskit pr`) into --out. The same seed gives the same numbers."
        })
final class ImbalanceCommand implements Callable<Integer>, LabCommand {

    static final String NAME = "imbalance";
    static final String PR_CURVES_PNG = "pr-curves.png";
    static final String METRICS_PNG = "metrics.png";
    static final String PR_CURVES_CSV = "pr-curves.csv";
    static final String SCORES_DIRECTORY = "scores";

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Your data: a CSV file with a header row; every column but --label and --ignore is a"
                    + " numeric feature. Default: the embedded synthetic set.")
    Path csv;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column of --csv.")
    String label;

    @Option(names = "--positive", paramLabel = "VALUE",
            description = "The label value of the positive (minority) class; the other values are negative."
                    + " Default: the less frequent of two values.")
    String positive;

    @Option(names = "--ignore", paramLabel = "COLUMN", split = ",",
            description = "Columns of --csv that are not features (ids, text), comma-separated.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--rows", defaultValue = "3000", paramLabel = "N",
            description = "Rows of the embedded synthetic set, one in eleven positive, >= 110 (default:"
                    + " ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = {"--gamma", "--gammas"}, defaultValue = "0,0.5,1,2,5", split = ",", paramLabel = "G",
            description = "Focal gammas to sweep, >= 0, comma-separated (default: ${DEFAULT-VALUE}).")
    double[] gammas;

    @Option(names = {"--alpha", "--alphas"}, defaultValue = "0.25,-1", split = ",", paramLabel = "A",
            description = "Focal alphas, comma-separated: alpha weighs positives and 1 - alpha negatives"
                    + " (torchvision's sigmoid_focal_loss), in [0, 1]; a negative value means no alpha"
                    + " (default: ${DEFAULT-VALUE}).")
    double[] alphas;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N",
            description = "Repeats, each with its own split, initial weights and minibatch order, >= 1 (default:"
                    + " ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N",
            description = "Passes over the training split per configuration, >= 1 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--test-fraction", defaultValue = "0.3", paramLabel = "F",
            description = "Share of each class held out for testing, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--threads", paramLabel = "N",
            description = "Training runs at once, each on one ND4J thread; the numbers do not depend on it"
                    + " (default: one per core).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the synthetic data, the splits, the initial weights and the minibatch order"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/losskit/" + NAME, paramLabel = "DIR",
            description = "Output directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    private Doc document;

    @Override
    public Integer call() {
        Imbalance.Settings settings = checkedSettings();
        Path directory = LabFiles.writableDirectory(spec.commandLine(), out);
        long start = System.nanoTime();
        BinaryData data = csv == null ? BinaryData.synthetic(seed, rows)
                : BinaryData.fromCsv(CsvTable.read(csv), label, positive, ignore);
        Imbalance.Result result = Imbalance.run(settings, data, csv == null ? "embedded" : csv.toString());
        write(result, directory);
        double seconds = (System.nanoTime() - start) / 1e9;
        print(result.summary(), directory, seconds, spec.commandLine().getOut());
        return 0;
    }

    private Imbalance.Settings checkedSettings() {
        if (csv == null && (label != null || positive != null || !ignore.isEmpty())) {
            throw bad("--label, --positive and --ignore need --csv");
        }
        if (csv != null && label == null) {
            throw bad("--csv needs --label COLUMN naming the label column");
        }
        if (csv != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--rows")) {
            throw bad("--rows sets the size of the synthetic set; it does not apply to --csv");
        }
        if (rows < 11 * BinaryData.MIN_ROWS_PER_CLASS) {
            throw bad("--rows must be at least " + 11 * BinaryData.MIN_ROWS_PER_CLASS + " (ten positives), got "
                    + rows);
        }
        if (repeats < 1) {
            throw bad("--repeats must be at least 1, got " + repeats);
        }
        if (epochs < 1) {
            throw bad("--epochs must be at least 1, got " + epochs);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw bad("--test-fraction must lie strictly between 0 and 1, got " + testFraction);
        }
        if (gammas.length == 0) {
            throw bad("--gamma needs at least one value");
        }
        for (double gamma : gammas) {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw bad("--gamma values must be finite numbers >= 0, got " + gamma);
            }
        }
        if (alphas.length == 0) {
            throw bad("--alpha needs at least one value");
        }
        for (double alpha : alphas) {
            if (Double.isNaN(alpha) || alpha > 1 || Double.isInfinite(alpha)) {
                throw bad("--alpha values must lie in [0, 1], or be negative for no alpha, got " + alpha);
            }
        }
        if (Arrays.stream(gammas).distinct().count() < gammas.length
                || Arrays.stream(alphas).map(a -> a < 0 ? -1 : a).distinct().count() < alphas.length) {
            throw bad("--gamma and --alpha values must not repeat");
        }
        if (threads != null && threads < 1) {
            throw bad("--threads must be at least 1, got " + threads);
        }
        Imbalance.Settings settings = new Imbalance.Settings(seed, repeats, epochs, testFraction, gammas.clone(),
                alphas.clone(), threads == null ? Workers.defaultThreads() : threads);
        try {
            Imbalance.configurations(settings);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        return settings;
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Doc document() {
        return document;
    }

    private void write(Imbalance.Result result, Path directory) {
        LabFiles.writeJson(directory, LabFiles.SUMMARY_JSON, result.summary());
        writeCurves(result, directory.resolve(PR_CURVES_CSV));
        writeScores(result, directory.resolve(SCORES_DIRECTORY));
        Charts.save(prChart(result), directory.resolve(PR_CURVES_PNG));
        Charts.save(metricsChart(result.summary()), directory.resolve(METRICS_PNG));
        document = document(result);
        LabFiles.writeText(directory.resolve(LabFiles.SUMMARY_MARKDOWN), document.markdown());
    }

    /** Every curve point of every configuration and repeat, in scikit-learn's order. */
    private static void writeCurves(Imbalance.Result result, Path file) {
        StringBuilder csvText = new StringBuilder("configuration,repeat,point,threshold,precision,recall\n");
        for (int c = 0; c < result.configurations().size(); c++) {
            String id = result.configurations().get(c).id();
            List<Imbalance.RepeatResult> repeats = result.perConfiguration().get(c);
            for (int r = 0; r < repeats.size(); r++) {
                BinaryMetrics.PrCurve curve = repeats.get(r).curve();
                for (int i = 0; i < curve.precision().length; i++) {
                    csvText.append(id).append(',').append(r + 1).append(',').append(i).append(',')
                            .append(i < curve.thresholdPoints() ? String.valueOf(curve.thresholds()[i]) : "")
                            .append(',').append(curve.precision()[i]).append(',').append(curve.recall()[i])
                            .append('\n');
                }
            }
        }
        LabFiles.writeText(file, csvText.toString());
    }

    /** Per repeat: the test labels and each configuration's probabilities, ready for `losskit pr`. */
    private static void writeScores(Imbalance.Result result, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + LabFiles.reason(e), e);
        }
        for (int r = 0; r < result.testLabels().size(); r++) {
            StringBuilder csvText = new StringBuilder("label");
            result.configurations().forEach(c -> csvText.append(',').append(c.id()));
            csvText.append('\n');
            boolean[] labels = result.testLabels().get(r);
            for (int row = 0; row < labels.length; row++) {
                csvText.append(labels[row] ? '1' : '0');
                for (List<Imbalance.RepeatResult> repeats : result.perConfiguration()) {
                    csvText.append(',').append(repeats.get(r).scores()[row]);
                }
                csvText.append('\n');
            }
            LabFiles.writeText(directory.resolve("repeat-" + (r + 1) + ".csv"), csvText.toString());
        }
    }

    /** PR curves of the first repeat as scikit-learn's PrecisionRecallDisplay draws them (steps). */
    private static XYChart prChart(Imbalance.Result result) {
        XYChart chart = Charts.lines("Precision-recall on the test split (repeat 1 of "
                + result.summary().repeats() + ")", "recall", "precision", 1100, Charts.HEIGHT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.02);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        List<Double> alphas = new ArrayList<>();
        List<Double> gammas = new ArrayList<>();
        for (Imbalance.Configuration configuration : result.configurations()) {
            if (configuration.loss().equals("LossFocal")) {
                Object alpha = configuration.parameters().get("alpha");
                double alphaValue = alpha == null ? -1 : (Double) alpha;
                if (!alphas.contains(alphaValue)) {
                    alphas.add(alphaValue);
                }
                double gamma = (Double) configuration.parameters().get("gamma");
                if (!gammas.contains(gamma)) {
                    gammas.add(gamma);
                }
            }
        }
        BasicStroke[] strokes = {Charts.SOLID, Charts.DASHED, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f)};
        for (int c = 0; c < result.configurations().size(); c++) {
            Imbalance.Configuration configuration = result.configurations().get(c);
            Imbalance.RepeatResult first = result.perConfiguration().get(c).get(0);
            BinaryMetrics.PrCurve curve = first.curve();
            int points = curve.precision().length;
            double[] x = new double[2 * points - 1];
            double[] y = new double[2 * points - 1];
            for (int i = 0; i < points; i++) {
                x[2 * i] = curve.recall()[i];
                y[2 * i] = curve.precision()[i];
                if (i + 1 < points) { // steps-post: precision P_i holds from R_i down to R_{i+1}
                    x[2 * i + 1] = curve.recall()[i + 1];
                    y[2 * i + 1] = curve.precision()[i];
                }
            }
            Color color;
            BasicStroke stroke;
            if (configuration.id().equals("bce")) {
                color = Color.BLACK;
                stroke = Charts.SOLID;
            } else if (configuration.id().equals("weighted_bce")) {
                color = new Color(0x7F7F7F);
                stroke = Charts.SOLID;
            } else {
                Object alpha = configuration.parameters().get("alpha");
                int alphaIndex = alphas.indexOf(alpha == null ? -1.0 : (Double) alpha);
                color = Charts.color(1 + gammas.indexOf((Double) configuration.parameters().get("gamma")));
                stroke = strokes[alphaIndex % strokes.length];
            }
            Charts.line(chart, String.format(Locale.ROOT, "%s (AP %.3f)", configuration.label(),
                    first.averagePrecision()), x, y, color, stroke);
        }
        return chart;
    }

    private static CategoryChart metricsChart(Imbalance.Summary summary) {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(650)
                .title("Test-split metrics, mean ± std over " + summary.repeats() + " repeat(s)")
                .yAxisTitle("metric").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setAvailableSpaceFill(0.8);
        List<String> labels = summary.configurations().stream().map(Imbalance.ConfigurationSummary::label).toList();
        List<String> names = List.of("average precision", "ROC AUC", "best F1", "minority recall @0.5");
        List<java.util.function.Function<Imbalance.Metrics, Imbalance.Statistic>> metrics = List.of(
                Imbalance.Metrics::averagePrecision, Imbalance.Metrics::rocAuc, Imbalance.Metrics::bestF1,
                Imbalance.Metrics::minorityRecall);
        for (int m = 0; m < names.size(); m++) {
            var metric = metrics.get(m);
            List<Double> means = summary.configurations().stream().map(c -> metric.apply(c.metrics()).mean())
                    .toList();
            List<Double> stds = summary.configurations().stream().map(c -> metric.apply(c.metrics()).std()).toList();
            CategorySeries series = chart.addSeries(names.get(m), labels, means, stds);
            series.setFillColor(Charts.color(m + 1));
        }
        return chart;
    }

    private static Doc document(Imbalance.Result result) {
        Imbalance.Summary summary = result.summary();
        Imbalance.DatasetInfo data = summary.dataset();
        Doc doc = new Doc("imbalance: BCE, weighted BCE and focal loss on an imbalanced binary problem");
        doc.paragraph(String.format(Locale.ROOT, "Data: %s. Stratified split, %.0f%% held out: train %d rows (%d"
                + " positive), test %d rows (%d positive); %s.", data.description(), 100 * data.testFraction(),
                data.train().rows(), data.train().positives(), data.test().rows(), data.test().positives(),
                "features standardised on the training split"));
        Imbalance.NetworkInfo network = summary.network();
        doc.paragraph(String.format(Locale.ROOT, "Model: %s, %s %s, minibatch %d, %d epochs, %s. %d repeat(s) (seed"
                + " %d); within a repeat every loss starts from the same weights and sees the same minibatches.",
                network.layers(), network.updater(), Stats.number(network.learningRate()), network.minibatch(),
                network.epochs(), network.dataType(), summary.repeats(), summary.seed()));
        List<List<String>> rowsOfTable = new ArrayList<>();
        for (Imbalance.ConfigurationSummary configuration : summary.configurations()) {
            Imbalance.Metrics m = configuration.metrics();
            rowsOfTable.add(List.of(configuration.label(), configuration.loss(),
                    parameters(configuration.parameters()),
                    Stats.meanStd(m.averagePrecision().mean(), m.averagePrecision().std(), 3),
                    Stats.meanStd(m.rocAuc().mean(), m.rocAuc().std(), 3),
                    Stats.meanStd(m.bestF1().mean(), m.bestF1().std(), 3),
                    Stats.meanStd(m.minorityRecall().mean(), m.minorityRecall().std(), 3),
                    Stats.meanStd(m.minorityPrecision().mean(), m.minorityPrecision().std(), 3)));
        }
        doc.table(List.of("configuration", "loss", "parameters", "average precision", "ROC AUC", "best F1",
                "minority recall @0.5", "minority precision @0.5"), rowsOfTable);
        doc.paragraph(verdict(summary));
        doc.figure(PR_CURVES_PNG, "Precision-recall curves of every configuration on the test split of repeat 1"
                + " (steps, as scikit-learn draws them; the area under each is its average precision).");
        doc.figure(METRICS_PNG, "Average precision, ROC AUC, best F1 and minority recall at probability 0.5:"
                + " bars are means over the repeats, whiskers one standard deviation.");
        doc.paragraph("Average precision, ROC AUC and best F1 rank the test rows and ignore calibration; minority"
                + " recall at 0.5 shows where each loss puts the default decision threshold: weighted BCE and"
                + " alpha > 0.5 push it towards the minority, alpha < 0.5 away from it.");
        doc.files(LabFiles.SUMMARY_JSON, PR_CURVES_CSV, SCORES_DIRECTORY + "/repeat-1.csv");
        return doc;
    }

    /** Which configuration ranks best by mean average precision, against plain BCE, with the noise level. */
    static String verdict(Imbalance.Summary summary) {
        List<Imbalance.ConfigurationSummary> configurations = summary.configurations();
        Imbalance.ConfigurationSummary best = configurations.stream()
                .max(Comparator.comparingDouble(c -> c.metrics().averagePrecision().mean())).orElseThrow();
        Imbalance.ConfigurationSummary bce = configurations.get(0);
        Imbalance.ConfigurationSummary bestRecall = configurations.stream()
                .max(Comparator.comparingDouble(c -> c.metrics().minorityRecall().mean())).orElseThrow();
        double spread = configurations.stream().mapToDouble(c -> c.metrics().averagePrecision().std()).max()
                .orElse(0);
        String ap = best == bce
                ? String.format(Locale.ROOT, "Plain BCE has the highest mean average precision (%.3f)",
                        bce.metrics().averagePrecision().mean())
                : String.format(Locale.ROOT, "Highest mean average precision: %s, %.3f against %.3f for plain BCE"
                        + " (difference %+.3f)", best.label(), best.metrics().averagePrecision().mean(),
                        bce.metrics().averagePrecision().mean(), best.metrics().averagePrecision().mean()
                                - bce.metrics().averagePrecision().mean());
        String noise = summary.repeats() > 1 ? String.format(Locale.ROOT, "; the largest standard deviation over"
                + " repeats is %.3f, so smaller differences are noise", spread) : "; one repeat, so no noise level";
        return String.format(Locale.ROOT, "%s%s. Highest minority recall at 0.5: %s (%.3f).", ap, noise,
                bestRecall.label(), bestRecall.metrics().minorityRecall().mean());
    }

    static String parameters(Map<String, Object> parameters) {
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() == null ? "none" : e.getValue() instanceof Double d
                        ? Stats.number(Math.round(d * 1e6) / 1e6) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", "));
    }

    private static void print(Imbalance.Summary summary, Path directory, double seconds, PrintWriter out) {
        Imbalance.DatasetInfo data = summary.dataset();
        out.printf(Locale.ROOT, "LossKit imbalance: BCE, weighted BCE and focal loss (seed %d, %d repeat(s), %d"
                + " epochs)%n", summary.seed(), summary.repeats(), summary.network().epochs());
        out.printf(Locale.ROOT, "data:  %s%n", data.description());
        out.printf(Locale.ROOT, "split: train %d rows (%d positive), test %d rows (%d positive), stratified,"
                + " standardised on train%n", data.train().rows(), data.train().positives(), data.test().rows(),
                data.test().positives());
        out.println();
        out.printf(Locale.ROOT, "%-22s %-17s %-17s %-17s %-17s%n", "test split (mean±std)", "avg precision",
                "ROC AUC", "best F1", "minority recall");
        for (Imbalance.ConfigurationSummary configuration : summary.configurations()) {
            Imbalance.Metrics m = configuration.metrics();
            out.printf(Locale.ROOT, "%-22s %-17s %-17s %-17s %-17s%n", configuration.label(),
                    Stats.meanStd(m.averagePrecision().mean(), m.averagePrecision().std(), 3),
                    Stats.meanStd(m.rocAuc().mean(), m.rocAuc().std(), 3),
                    Stats.meanStd(m.bestF1().mean(), m.bestF1().std(), 3),
                    Stats.meanStd(m.minorityRecall().mean(), m.minorityRecall().std(), 3));
        }
        out.println();
        out.println(verdict(summary));
        out.printf(Locale.ROOT, "files: %s (%s, %s, %s, ...) (%.1f s)%n", directory.toAbsolutePath().normalize(),
                LabFiles.SUMMARY_JSON, LabFiles.SUMMARY_MARKDOWN, PR_CURVES_PNG, seconds);
        out.flush();
    }
}
