package io.github.losskit.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code losskit pr}: average precision, ROC AUC and the precision-recall curve of any scores. */
@Command(name = PrCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        sortOptions = false,
        header = "Average precision, ROC AUC and the PR curve of any scores (scikit-learn's definitions).",
        description = {
            "Average precision, ROC AUC and the precision-recall curve of any model's scores, with"
                    + " scikit-learn's definitions (average_precision_score, roc_auc_score, precision_recall_curve):"
                    + " one curve point per distinct score, the un-interpolated step sum, ties between a positive"
                    + " and a negative counted one half in the AUC.",
            "Reads --csv FILE --score COLUMN --label COLUMN; without --csv it evaluates an embedded example (1:10"
                    + " imbalance, scores rounded to two decimals so that many tie), written to DIR/scores.csv.",
            "Writes summary.json, summary.md, curve.csv and pr-roc.png into --out; --json also prints the"
                    + " numbers as one JSON object on stdout."
        })
final class PrCommand implements Callable<Integer>, LabCommand {

    static final String NAME = "pr";
    static final String CURVE_CSV = "curve.csv";
    static final String FIGURE = "pr-roc.png";
    static final String EXAMPLE_CSV = "scores.csv";
    static final int EXAMPLE_ROWS = 550;

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "A CSV file with a header row holding the scores and the labels. Default: the embedded"
                    + " example.")
    Path csv;

    @Option(names = "--score", paramLabel = "COLUMN",
            description = "The column of scores: higher means more likely positive (probabilities, logits or"
                    + " any ranking).")
    String score;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The column of true labels: 0/1, -1/1 or true/false (positive 1 or true), or any values"
                    + " with --positive.")
    String label;

    @Option(names = "--positive", paramLabel = "VALUE",
            description = "The label value of the positive class; every other value is negative.")
    String positive;

    @Option(names = "--json",
            description = "Print {average_precision, roc_auc, precision, recall, thresholds} as one JSON object"
                    + " on stdout, instead of the readable report.")
    boolean json;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the embedded example (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/losskit/" + NAME, paramLabel = "DIR",
            description = "Output directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    private Doc document;

    /** The numbers of {@code --json}, with scikit-learn's names. */
    record JsonResult(double averagePrecision, double rocAuc, double[] precision, double[] recall,
            double[] thresholds) {
    }

    record BestF1(double f1, double threshold, double precision, double recall) {
    }

    record Summary(String command, String source, String scoreColumn, String labelColumn, String positiveClass,
            int rows, int positives, int distinctScores, double averagePrecision, double rocAuc, BestF1 bestF1,
            Map<String, String> definitions, double[] precision, double[] recall, double[] thresholds) {
    }

    @Override
    public Integer call() {
        if (csv == null && (score != null || label != null || positive != null)) {
            throw new ParameterException(spec.commandLine(), "--score, --label and --positive need --csv");
        }
        if (csv != null && (score == null || label == null)) {
            throw new ParameterException(spec.commandLine(), "--csv needs --score COLUMN and --label COLUMN");
        }
        Path directory = LabFiles.writableDirectory(spec.commandLine(), out);
        Path input = csv;
        String scoreColumn = score;
        String labelColumn = label;
        if (input == null) {
            input = LabFiles.writeText(directory.resolve(EXAMPLE_CSV), exampleCsv(seed));
            scoreColumn = "score";
            labelColumn = "label";
        }
        CsvTable table = CsvTable.read(input);
        int scoreIndex = table.column(scoreColumn, "--score");
        int labelIndex = table.column(labelColumn, "--label");
        if (table.rows() == 0) {
            throw new InputException(table.name() + " has a header but no rows");
        }
        for (int row = 0; row < table.rows(); row++) {
            if (table.value(row, labelIndex).isEmpty()) {
                throw new InputException(String.format(Locale.ROOT, "%s line %d: the label column '%s' is empty",
                        table.name(), table.line(row), labelColumn));
            }
        }
        double[] scores = table.numbers(scoreIndex);
        BinaryData.Labels labels = BinaryData.Labels.choose(table, labelIndex, positive, false);
        Summary summary = evaluate(csv == null ? "embedded example (seed " + seed + "), written to " + EXAMPLE_CSV
                : csv.toString(), scoreColumn, labelColumn, labels, scores);
        write(summary, scores, labels.positive(), directory);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(LabFiles.compactJson(new JsonResult(summary.averagePrecision(), summary.rocAuc(),
                    summary.precision(), summary.recall(), summary.thresholds())));
        } else {
            print(summary, directory, stdout);
        }
        stdout.flush();
        return 0;
    }

    static Summary evaluate(String source, String scoreColumn, String labelColumn, BinaryData.Labels labels,
            double[] scores) {
        boolean[] isPositive = labels.positive();
        BinaryMetrics.PrCurve curve = BinaryMetrics.precisionRecallCurve(scores, isPositive);
        BinaryMetrics.BestF1 best = BinaryMetrics.bestF1(curve);
        int positives = 0;
        for (boolean p : isPositive) {
            positives += p ? 1 : 0;
        }
        return new Summary(NAME, source, scoreColumn, labelColumn, labels.positiveName(), scores.length, positives,
                curve.thresholdPoints(), BinaryMetrics.averagePrecision(curve), BinaryMetrics.rocAuc(scores,
                        isPositive), new BestF1(best.f1(), best.threshold(), best.precision(), best.recall()),
                DEFINITIONS, curve.precision(), curve.recall(), curve.thresholds());
    }

    static final Map<String, String> DEFINITIONS = LabFiles.orderedMap(
            "precision_recall_curve", "scikit-learn's: precision[i] and recall[i] of predicting positive at score >="
                    + " thresholds[i], thresholds increasing (one per distinct score); the last point (recall 0,"
                    + " precision 1) has no threshold",
            "average_precision", "sum_i (recall[i] - recall[i+1]) * precision[i], the un-interpolated step sum of"
                    + " scikit-learn's average_precision_score",
            "roc_auc", "trapezoidal area under the ROC curve (scikit-learn's roc_auc_score); a tied positive and"
                    + " negative count one half",
            "best_f1", "the highest F1 over the curve's points with a threshold, and that threshold");

    /** 1:10 imbalance, positives' scores shifted up, rounded to two decimals so that many scores tie. */
    static String exampleCsv(long seed) {
        Random random = new Random(seed);
        int positives = ImbalancedBlobs.minorityRowsOf(EXAMPLE_ROWS);
        int[] classes = new int[EXAMPLE_ROWS];
        java.util.Arrays.fill(classes, 0, positives, 1);
        ImbalancedBlobs.shuffle(classes, random);
        StringBuilder text = new StringBuilder("score,label\n");
        for (int cls : classes) {
            double logit = random.nextGaussian() + 1.5 * cls - 1.0;
            text.append(String.format(Locale.ROOT, "%.2f,%d%n", 1 / (1 + Math.exp(-logit)), cls));
        }
        return text.toString();
    }

    @Override
    public Doc document() {
        return document;
    }

    private void write(Summary summary, double[] scores, boolean[] isPositive, Path directory) {
        LabFiles.writeJson(directory, LabFiles.SUMMARY_JSON, summary);
        StringBuilder curveCsv = new StringBuilder("threshold,precision,recall\n");
        for (int i = 0; i < summary.precision().length; i++) {
            curveCsv.append(i < summary.thresholds().length ? String.valueOf(summary.thresholds()[i]) : "")
                    .append(',').append(summary.precision()[i]).append(',').append(summary.recall()[i]).append('\n');
        }
        LabFiles.writeText(directory.resolve(CURVE_CSV), curveCsv.toString());
        BinaryMetrics.PrCurve curve = new BinaryMetrics.PrCurve(summary.precision(), summary.recall(),
                summary.thresholds());
        Charts.saveSideBySide(List.of(prChart(curve, summary), rocChart(BinaryMetrics.rocCurve(scores, isPositive),
                summary)), directory.resolve(FIGURE));
        document = document(summary);
        LabFiles.writeText(directory.resolve(LabFiles.SUMMARY_MARKDOWN), document.markdown());
    }

    /** Steps, as scikit-learn's PrecisionRecallDisplay draws them: the area under them is the AP. */
    static XYChart prChart(BinaryMetrics.PrCurve curve, Summary summary) {
        XYChart chart = Charts.lines(String.format(Locale.ROOT, "Precision-recall (AP %.4f)",
                summary.averagePrecision()), "recall", "precision", 700, 600);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.02);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        int points = curve.precision().length;
        double[] x = new double[2 * points - 1];
        double[] y = new double[2 * points - 1];
        for (int i = 0; i < points; i++) {
            x[2 * i] = curve.recall()[i];
            y[2 * i] = curve.precision()[i];
            if (i + 1 < points) {
                x[2 * i + 1] = curve.recall()[i + 1];
                y[2 * i + 1] = curve.precision()[i];
            }
        }
        Charts.line(chart, "model", x, y, Charts.color(5), Charts.SOLID);
        double share = summary.positives() / (double) summary.rows();
        Charts.line(chart, String.format(Locale.ROOT, "chance (positive share %.3f)", share), new double[] {0, 1},
                new double[] {share, share}, Charts.color(8), Charts.DASHED);
        return chart;
    }

    static XYChart rocChart(BinaryMetrics.RocCurve roc, Summary summary) {
        XYChart chart = Charts.lines(String.format(Locale.ROOT, "ROC (AUC %.4f)", summary.rocAuc()),
                "false positive rate", "true positive rate", 700, 600);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.02);
        chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Charts.line(chart, "model", roc.fpr(), roc.tpr(), Charts.color(5), Charts.SOLID);
        Charts.line(chart, "chance", new double[] {0, 1}, new double[] {0, 1}, Charts.color(8), Charts.DASHED);
        return chart;
    }

    private static Doc document(Summary summary) {
        Doc doc = new Doc("pr: average precision and ROC AUC of scores");
        doc.paragraph(String.format(Locale.ROOT, "Scores: column `%s` of %s; labels: column `%s`, positive class %s;"
                + " %d rows, %d positive, %d distinct scores.", summary.scoreColumn(), summary.source(),
                summary.labelColumn(), summary.positiveClass(), summary.rows(), summary.positives(),
                summary.distinctScores()));
        doc.table(List.of("metric", "value", "definition"), List.of(
                List.of("average precision", Stats.fixed(summary.averagePrecision(), 4),
                        DEFINITIONS.get("average_precision")),
                List.of("ROC AUC", Stats.fixed(summary.rocAuc(), 4), DEFINITIONS.get("roc_auc")),
                List.of("best F1", Stats.fixed(summary.bestF1().f1(), 4), String.format(Locale.ROOT,
                        "at score >= %s: precision %.4f, recall %.4f", Stats.number(summary.bestF1().threshold()),
                        summary.bestF1().precision(), summary.bestF1().recall()))));
        doc.figure(FIGURE, "Left: the precision-recall curve (steps; its area is the average precision) against"
                + " the chance level, the positive share. Right: the ROC curve.");
        doc.files(LabFiles.SUMMARY_JSON, CURVE_CSV);
        return doc;
    }

    private static void print(Summary summary, Path directory, PrintWriter out) {
        out.printf(Locale.ROOT, "LossKit pr: column '%s' of %s, labels '%s' (positive %s)%n", summary.scoreColumn(),
                summary.source(), summary.labelColumn(), summary.positiveClass());
        out.printf(Locale.ROOT, "rows %d, positive %d, distinct scores %d%n", summary.rows(), summary.positives(),
                summary.distinctScores());
        out.printf(Locale.ROOT, "average precision %.6f%n", summary.averagePrecision());
        out.printf(Locale.ROOT, "ROC AUC           %.6f%n", summary.rocAuc());
        out.printf(Locale.ROOT, "best F1           %.6f at score >= %s (precision %.4f, recall %.4f)%n",
                summary.bestF1().f1(), Stats.number(summary.bestF1().threshold()), summary.bestF1().precision(),
                summary.bestF1().recall());
        out.printf(Locale.ROOT, "files: %s (%s, %s, %s, %s)%n", directory.toAbsolutePath().normalize(),
                LabFiles.SUMMARY_JSON, LabFiles.SUMMARY_MARKDOWN, CURVE_CSV, FIGURE);
    }
}
