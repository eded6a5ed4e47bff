package io.github.losskit.lab;

import io.github.losskit.core.curves.Curve;
import io.github.losskit.core.curves.LossCurves;
import io.github.losskit.core.margin.MarginFunction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code losskit gradients}: losses and their derivatives from loss-core's tabulation API, LossCurves. */
@Command(name = GradientsCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        sortOptions = false,
        header = "Loss and derivative of the margin losses over z, and of BCE vs focal over p (LossCurves).",
        description = {
            "Plots each loss and its derivative, tabulated by the same code the losses train with"
                    + " (io.github.losskit.core.curves.LossCurves): hinge, squared hinge, exponential and logistic"
                    + " over the margin z = y f, and binary cross-entropy against focal loss (several gammas) over"
                    + " the probability p of the true class, with derivatives with respect to the logit.",
            "Writes summary.json, summary.md, margin.png, probability.png and curves.csv into --out. Nothing is"
                    + " random, so there is no --seed."
        })
final class GradientsCommand implements Callable<Integer>, LabCommand {

    static final String NAME = "gradients";
    static final String MARGIN_PNG = "margin.png";
    static final String PROBABILITY_PNG = "probability.png";
    static final String CURVES_CSV = "curves.csv";
    /** The probability grid stays this far from 0 and 1, where -log p and the logit run off to infinity. */
    static final double P_EDGE = 0.001;
    static final double[] KEY_MARGINS = {-2, -1, 0, 0.5, 1, 2};
    static final double[] KEY_PROBABILITIES = {0.1, 0.5, 0.9, 0.99};

    @Spec
    CommandSpec spec;

    @Option(names = {"--gamma", "--gammas"}, defaultValue = "0.5,1,2,5", split = ",", paramLabel = "G",
            description = "Focal gammas to compare with binary cross-entropy (focal with gamma 0), > 0,"
                    + " comma-separated (default: ${DEFAULT-VALUE}).")
    double[] gammas;

    @Option(names = "--z-max", defaultValue = "3", paramLabel = "Z",
            description = "The margin axis runs over [-Z, Z], > 0 and <= 50 (default: ${DEFAULT-VALUE}).")
    double zMax;

    @Option(names = "--points", defaultValue = "601", paramLabel = "N",
            description = "Points per curve, >= 11 (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--out", defaultValue = "target/losskit/" + NAME, paramLabel = "DIR",
            description = "Output directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    private Doc document;

    /** Loss and derivative at chosen points, read off the same tabulation. */
    record KeyPoints(String name, String x, double[] at, double[] loss, double[] derivative) {
    }

    /** focal / BCE at chosen probabilities of the true class: how much focal loss down-weights easy examples. */
    record FocalRatio(double gamma, double[] p, double[] lossRatio, double[] derivativeRatio) {
    }

    record Summary(String command, String source, String marginDerivative, String probabilityDerivative,
            double[] zRange, double[] pRange, int points, List<KeyPoints> margin, List<KeyPoints> probability,
            List<FocalRatio> focalOverBce) {
    }

    @Override
    public Integer call() {
        checkOptions();
        Path directory = LabFiles.writableDirectory(spec.commandLine(), out);
        double[] z = LossCurves.grid(-zMax, zMax, points);
        double[] p = LossCurves.grid(P_EDGE, 1 - P_EDGE, points);
        List<Curve> marginCurves = new ArrayList<>();
        List<KeyPoints> marginKeys = new ArrayList<>();
        double[] keyMargins = Arrays.stream(KEY_MARGINS).filter(v -> Math.abs(v) <= zMax).toArray();
        for (MarginFunction function : MarginFunction.values()) {
            marginCurves.add(LossCurves.margin(function, z));
            marginKeys.add(keyPoints(LossCurves.margin(function, keyMargins)));
        }
        List<Curve> probabilityCurves = new ArrayList<>();
        List<KeyPoints> probabilityKeys = new ArrayList<>();
        probabilityCurves.add(LossCurves.binaryCrossEntropy(p));
        Curve bceKeys = LossCurves.binaryCrossEntropy(KEY_PROBABILITIES);
        probabilityKeys.add(keyPoints(bceKeys));
        List<FocalRatio> ratios = new ArrayList<>();
        for (double gamma : gammas) {
            probabilityCurves.add(LossCurves.focal(gamma, p));
            Curve focalKeys = LossCurves.focal(gamma, KEY_PROBABILITIES);
            probabilityKeys.add(keyPoints(focalKeys));
            double[] lossRatio = new double[KEY_PROBABILITIES.length];
            double[] derivativeRatio = new double[KEY_PROBABILITIES.length];
            for (int i = 0; i < lossRatio.length; i++) {
                lossRatio[i] = focalKeys.loss()[i] / bceKeys.loss()[i];
                derivativeRatio[i] = focalKeys.derivative()[i] / bceKeys.derivative()[i];
            }
            ratios.add(new FocalRatio(gamma, KEY_PROBABILITIES.clone(), lossRatio, derivativeRatio));
        }
        Summary summary = new Summary(NAME, "io.github.losskit.core.curves.LossCurves (double precision)",
                "dLoss/dz", "dLoss/dlogit, the logit of p (label 1)", new double[] {-zMax, zMax},
                new double[] {P_EDGE, 1 - P_EDGE}, points, marginKeys, probabilityKeys, ratios);
        write(summary, marginCurves, probabilityCurves, directory);
        print(summary, directory, spec.commandLine().getOut());
        return 0;
    }

    private void checkOptions() {
        if (gammas.length == 0) {
            throw bad("--gamma needs at least one value");
        }
        for (double gamma : gammas) {
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw bad("--gamma values must be finite numbers > 0 (gamma 0 is the BCE curve, always drawn), got "
                        + gamma);
            }
        }
        if (!(zMax > 0 && zMax <= 50)) {
            throw bad("--z-max must be > 0 and <= 50, got " + zMax);
        }
        if (points < 11 || points > 100_000) {
            throw bad("--points must be between 11 and 100000, got " + points);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static KeyPoints keyPoints(Curve curve) {
        return new KeyPoints(curve.name(), curve.xLabel(), curve.x().clone(), curve.loss().clone(),
                curve.derivative().clone());
    }

    @Override
    public Doc document() {
        return document;
    }

    private void write(Summary summary, List<Curve> margin, List<Curve> probability, Path directory) {
        LabFiles.writeJson(directory, LabFiles.SUMMARY_JSON, summary);
        StringBuilder csvText = new StringBuilder("family,curve,x,loss,derivative\n");
        for (Curve curve : margin) {
            append(csvText, "margin", curve);
        }
        for (Curve curve : probability) {
            append(csvText, "probability", curve);
        }
        LabFiles.writeText(directory.resolve(CURVES_CSV), csvText.toString());
        Charts.saveSideBySide(List.of(
                chart("Margin losses", "margin z = y f", "loss", margin, false, -0.5, 6.0),
                chart("Their derivatives", "margin z = y f", "dLoss/dz", margin, true, -6.5, 0.5)),
                directory.resolve(MARGIN_PNG));
        Charts.saveSideBySide(List.of(
                chart("BCE and focal loss", "probability of the true class p", "loss", probability, false, 0.0,
                        5.0),
                chart("Their derivatives with respect to the logit", "probability of the true class p",
                        "dLoss/dlogit", probability, true, -1.4, 0.05)),
                directory.resolve(PROBABILITY_PNG));
        document = document(summary);
        LabFiles.writeText(directory.resolve(LabFiles.SUMMARY_MARKDOWN), document.markdown());
    }

    private static void append(StringBuilder csvText, String family, Curve curve) {
        for (int i = 0; i < curve.x().length; i++) {
            csvText.append(family).append(',').append(curve.name()).append(',').append(curve.x()[i]).append(',')
                    .append(curve.loss()[i]).append(',').append(curve.derivative()[i]).append('\n');
        }
    }

    /** Values outside [yMin, yMax] are left out (the exponential grows without bound). */
    private static XYChart chart(String title, String xTitle, String yTitle, List<Curve> curves,
            boolean derivative, double yMin, double yMax) {
        XYChart chart = Charts.lines(title, xTitle, yTitle, 700, 550);
        double xMin = curves.get(0).x()[0];
        double xMax = curves.get(0).x()[curves.get(0).x().length - 1];
        chart.getStyler().setYAxisMin(yMin).setYAxisMax(yMax).setXAxisMin(xMin).setXAxisMax(xMax);
        chart.getStyler().setLegendPosition(derivative ? Styler.LegendPosition.InsideSE
                : Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0.0#").setYAxisDecimalPattern("0.0#");
        Charts.roundXTicks(chart, xMin, xMax, Math.max(yMin, Math.min(yMax, 0)));
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            double[] values = derivative ? curve.derivative() : curve.loss();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] >= yMin && values[i] <= yMax) {
                    x.add(curve.x()[i]);
                    y.add(values[i]);
                }
            }
            XYSeries series = chart.addSeries(curve.name().toLowerCase(Locale.ROOT).replace('_', ' '), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(Charts.color(c));
            series.setLineStyle(Charts.SOLID);
        }
        return chart;
    }

    private static Doc document(Summary summary) {
        Doc doc = new Doc("gradients: losses and their derivatives");
        doc.paragraph("Tabulated by `" + "LossCurves" + "` in loss-core, the same code the losses train with, in"
                + " double precision. Margin losses over z = y f (label y in {-1, +1}, score f); binary"
                + " cross-entropy and focal loss (no alpha) over the probability p the model gives the true class,"
                + " with derivatives with respect to the logit, the quantity the network's last layer receives.");
        doc.figure(MARGIN_PNG, "Hinge, squared hinge, exponential and logistic loss (left) and dLoss/dz (right)."
                + " The exponential and the squared hinge leave the plotted range on the wrong side (z < 0).");
        doc.figure(PROBABILITY_PNG, "Binary cross-entropy and focal loss (left) and their derivatives with respect"
                + " to the logit (right): focal loss shrinks both for well-classified examples (p near 1).");
        List<String> header = new ArrayList<>(List.of("gamma"));
        for (double p : KEY_PROBABILITIES) {
            header.add("loss ratio at p=" + Stats.number(p));
        }
        for (double p : KEY_PROBABILITIES) {
            header.add("gradient ratio at p=" + Stats.number(p));
        }
        List<List<String>> rows = new ArrayList<>();
        for (FocalRatio ratio : summary.focalOverBce()) {
            List<String> row = new ArrayList<>(List.of(Stats.number(ratio.gamma())));
            Arrays.stream(ratio.lossRatio()).forEach(v -> row.add(String.format(Locale.ROOT, "%.3g", v)));
            Arrays.stream(ratio.derivativeRatio()).forEach(v -> row.add(String.format(Locale.ROOT, "%.3g", v)));
            rows.add(row);
        }
        doc.heading("Focal loss relative to binary cross-entropy");
        doc.table(header, rows);
        List<List<String>> marginRows = new ArrayList<>();
        for (KeyPoints key : summary.margin()) {
            for (int i = 0; i < key.at().length; i++) {
                marginRows.add(List.of(key.name(), Stats.number(key.at()[i]),
                        String.format(Locale.ROOT, "%.4f", key.loss()[i]),
                        String.format(Locale.ROOT, "%.4f", key.derivative()[i] + 0.0)));
            }
        }
        doc.heading("Margin losses at selected margins");
        doc.table(List.of("loss", "z", "loss", "dLoss/dz"), marginRows);
        doc.files(LabFiles.SUMMARY_JSON, CURVES_CSV);
        return doc;
    }

    private static void print(Summary summary, Path directory, PrintWriter out) {
        out.println("LossKit gradients: tabulated by io.github.losskit.core.curves.LossCurves");
        out.printf(Locale.ROOT, "%-16s%s%n", "margin z:", Arrays.toString(summary.margin().get(0).at()));
        for (KeyPoints key : summary.margin()) {
            out.printf(Locale.ROOT, "  %-14s loss %s, dLoss/dz %s%n", key.name(), format(key.loss()),
                    format(key.derivative()));
        }
        out.printf(Locale.ROOT, "focal / BCE at p = %s:%n", Arrays.toString(KEY_PROBABILITIES));
        for (FocalRatio ratio : summary.focalOverBce()) {
            out.printf(Locale.ROOT, "  gamma %-8s loss %s, dLoss/dlogit %s%n", Stats.number(ratio.gamma()),
                    format(ratio.lossRatio()), format(ratio.derivativeRatio()));
        }
        out.printf(Locale.ROOT, "files: %s (%s, %s, %s, %s, %s)%n", directory.toAbsolutePath().normalize(),
                LabFiles.SUMMARY_JSON, LabFiles.SUMMARY_MARKDOWN, MARGIN_PNG, PROBABILITY_PNG, CURVES_CSV);
        out.flush();
    }

    private static String format(double[] values) {
        // + 0.0 shows the hinge's -0.0 derivatives beyond the margin as 0
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4g", v + 0.0)).toList().toString();
    }
}
