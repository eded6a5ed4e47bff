package io.github.losskit.lab;

import java.awt.Color;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options, files and report of {@link Landscape}. */
@Command(name = LandscapeCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        sortOptions = false,
        header = "Loss along the training path and over a random plane (Li et al. 2018), on a 2-D task.",
        description = {
            "Loss landscapes: trains a small MLP on an embedded 2-D task with each --loss and plots the training"
                    + " loss along the straight line from the initial to the final weights, and over a random plane"
                    + " through the final weights spanned by two filter-wise normalised directions (Li et al. 2018),"
                    + " as a heat image of log10(loss).",
            "Writes summary.json, summary.md, task.png, landscape-LOSS.png, line.csv and plane-LOSS.csv into --out."
                    + " The same seed gives the same numbers."
        })
final class LandscapeCommand implements Callable<Integer>, LabCommand {

    static final String NAME = "landscape";
    static final String TASK_PNG = "task.png";
    static final String LINE_CSV = "line.csv";

    @Spec
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "moons", paramLabel = "TASK",
            description = "The embedded 2-D task: moons or spirals (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = {"--loss", "--losses"}, defaultValue = "bce,focal,hinge", split = ",", paramLabel = "LOSS",
            description = "Losses, comma-separated, each trained and mapped on its own: bce, focal, cross-entropy,"
                    + " hinge, squared-hinge, logistic, exponential (default: ${DEFAULT-VALUE}).")
    List<String> losses;

    @Option(names = "--gamma", defaultValue = "2", paramLabel = "G",
            description = "Gamma of the focal loss (sigmoid form, no alpha), >= 0 (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--rows", defaultValue = "400", paramLabel = "N",
            description = "Training points, half of each class, >= 20 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the points, >= 1 (default: 50 for moons, 400 for spirals, which this small"
                    + " network learns slowly).")
    Integer epochs;

    @Option(names = "--grid", defaultValue = "25", paramLabel = "N",
            description = "Points per side of the plane, odd and >= 3, so the trained weights are the centre"
                    + " (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--span", defaultValue = "1", paramLabel = "S",
            description = "The plane covers [-S, S] in both directions (in units of the normalised directions), > 0"
                    + " (default: ${DEFAULT-VALUE}).")
    double span;

    @Option(names = "--threads", paramLabel = "N",
            description = "Losses mapped at once, each on one ND4J thread; the numbers do not depend on it"
                    + " (default: one per core).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the points, the initial weights, the minibatch order and the directions"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/losskit/" + NAME, paramLabel = "DIR",
            description = "Output directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    private Doc document;

    @Override
    public Integer call() {
        Landscape.Settings settings = checkedSettings();
        Path directory = LabFiles.writableDirectory(spec.commandLine(), out);
        long start = System.nanoTime();
        Landscape.Summary summary = Landscape.run(settings);
        write(settings, summary, directory);
        print(summary, directory, (System.nanoTime() - start) / 1e9, spec.commandLine().getOut());
        return 0;
    }

    private Landscape.Settings checkedSettings() {
        TwoDTasks chosenTask;
        try {
            chosenTask = TwoDTasks.valueOf(task.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("--task must be moons or spirals, got '" + task + "'");
        }
        LinkedHashSet<Landscape.LossChoice> chosen = new LinkedHashSet<>();
        for (String id : losses) {
            Landscape.LossChoice choice = Landscape.LossChoice.of(id.strip());
            if (choice == null) {
                throw bad("--loss: unknown loss '" + id + "'; choose from " + Landscape.LossChoice.ids());
            }
            chosen.add(choice);
        }
        if (chosen.isEmpty()) {
            throw bad("--loss needs at least one loss");
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw bad("--gamma must be a finite number >= 0, got " + gamma);
        }
        if (rows < 20) {
            throw bad("--rows must be at least 20, got " + rows);
        }
        int passes = epochs != null ? epochs : chosenTask == TwoDTasks.SPIRALS ? 400 : 50;
        if (passes < 1) {
            throw bad("--epochs must be at least 1, got " + passes);
        }
        if (grid < 3 || grid % 2 == 0 || grid > 201) {
            throw bad("--grid must be odd, at least 3 and at most 201, got " + grid);
        }
        if (!(span > 0) || Double.isInfinite(span)) {
            throw bad("--span must be a finite number > 0, got " + span);
        }
        if (threads != null && threads < 1) {
            throw bad("--threads must be at least 1, got " + threads);
        }
        return new Landscape.Settings(seed, chosenTask, List.copyOf(chosen), gamma, rows, passes, grid, span,
                threads == null ? Workers.defaultThreads() : threads);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Doc document() {
        return document;
    }

    static String planeFile(String id) {
        return "plane-" + id + ".csv";
    }

    static String figureFile(String id) {
        return "landscape-" + id + ".png";
    }

    private void write(Landscape.Settings settings, Landscape.Summary summary, Path directory) {
        LabFiles.writeJson(directory, LabFiles.SUMMARY_JSON, summary);
        StringBuilder line = new StringBuilder("loss,t,value\n");
        for (Landscape.LossLandscape landscape : summary.losses()) {
            for (int k = 0; k < landscape.line().t().length; k++) {
                line.append(landscape.id()).append(',').append(landscape.line().t()[k]).append(',')
                        .append(landscape.line().loss()[k]).append('\n');
            }
            Landscape.Plane plane = landscape.plane();
            StringBuilder planeCsv = new StringBuilder("alpha,beta,value\n");
            for (int j = 0; j < plane.beta().length; j++) {
                for (int i = 0; i < plane.alpha().length; i++) {
                    planeCsv.append(plane.alpha()[i]).append(',').append(plane.beta()[j]).append(',')
                            .append(plane.loss()[j][i]).append('\n');
                }
            }
            LabFiles.writeText(directory.resolve(planeFile(landscape.id())), planeCsv.toString());
            Charts.saveSideBySide(List.of(lineChart(landscape), heatMap(landscape)),
                    directory.resolve(figureFile(landscape.id())));
        }
        LabFiles.writeText(directory.resolve(LINE_CSV), line.toString());
        Charts.save(taskChart(settings, summary), directory.resolve(TASK_PNG));
        document = document(summary);
        LabFiles.writeText(directory.resolve(LabFiles.SUMMARY_MARKDOWN), document.markdown());
    }

    private static XYChart taskChart(Landscape.Settings settings, Landscape.Summary summary) {
        TwoDTasks.Points points = Landscape.points(settings);
        XYChart chart = Charts.lines("Task: " + summary.task() + " (" + summary.rows() + " points)", "x1", "x2", 600,
                600);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (int cls = 0; cls < 2; cls++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int row = 0; row < points.classes().length; row++) {
                if (points.classes()[row] == cls) {
                    x.add(points.features()[row][0]);
                    y.add(points.features()[row][1]);
                }
            }
            XYSeries series = chart.addSeries("class " + cls, x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(Charts.color(cls == 0 ? 5 : 4));
        }
        return chart;
    }

    private static XYChart lineChart(Landscape.LossLandscape landscape) {
        XYChart chart = Charts.lines(landscape.id() + ": loss from initial (t=0) to final (t=1) weights",
                "t (weights = initial + t (final - initial))", "training loss", 700, 600);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisDecimalPattern("0.0##");
        chart.getStyler().setXAxisDecimalPattern("0.0##");
        Charts.line(chart, landscape.id(), landscape.line().t(), landscape.line().loss(), Charts.color(5),
                Charts.SOLID);
        double[] t = landscape.line().t();
        Charts.roundXTicks(chart, t[0], t[t.length - 1], landscape.finalLoss());
        XYSeries ends = chart.addSeries("initial and final weights", new double[] {0, 1},
                new double[] {landscape.initialLoss(), landscape.finalLoss()});
        ends.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ends.setMarker(SeriesMarkers.CIRCLE);
        ends.setMarkerColor(Charts.color(4));
        chart.getStyler().setMarkerSize(9);
        return chart;
    }

    /** log10 of the loss over the plane; the trained weights are the centre. */
    private static HeatMapChart heatMap(Landscape.LossLandscape landscape) {
        Landscape.Plane plane = landscape.plane();
        int grid = plane.alpha().length;
        HeatMapChart chart = new HeatMapChartBuilder().width(700).height(600)
                .title(landscape.id() + ": log10(loss) on a random plane around the final weights")
                .xAxisTitle("direction 1").yAxisTitle("direction 2").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setDrawBorder(false);
        // antialiasing leaves light seams between the cells
        chart.getStyler().setAntiAlias(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(14f));
        // viridis, dark = low loss
        chart.getStyler().setRangeColors(new Color[] {new Color(0x440154), new Color(0x3B528B), new Color(0x21918C),
            new Color(0x5EC962), new Color(0xFDE725)});
        // axis labels at the ends, the centre and halfway; the other categories need distinct blank names
        List<String> labels = new ArrayList<>();
        int half = grid / 2;
        for (int i = 0; i < grid; i++) {
            boolean tick = i == 0 || i == grid - 1 || i == half || half % 2 == 0 && half >= 4
                    && (i == half / 2 || i == half + half / 2);
            labels.add(tick ? Stats.number(round(plane.alpha()[i], 2)) : " ".repeat(i + 1));
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        List<Number[]> cells = new ArrayList<>();
        for (int j = 0; j < grid; j++) {
            for (int i = 0; i < grid; i++) {
                double value = Math.log10(Math.max(plane.loss()[j][i], 1e-12));
                cells.add(new Number[] {i, j, value});
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        chart.getStyler().setMin(round(Math.floor(min * 100) / 100, 2));
        chart.getStyler().setMax(round(Math.ceil(max * 100) / 100, 2));
        chart.addSeries("log10(loss)", labels, new ArrayList<>(labels), cells);
        return chart;
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static Doc document(Landscape.Summary summary) {
        Doc doc = new Doc("landscape: loss along the training path and around the minimum");
        doc.paragraph(String.format(Locale.ROOT, "Task: %s, %s, %d points (seed %d). Model: %s; %s.", summary.task(),
                summary.taskDescription(), summary.rows(), summary.seed(), summary.network(), summary.training()));
        doc.paragraph("Plane directions: " + summary.directions() + ". Every loss starts from the same initial"
                + " weights of its architecture and sees the same minibatches.");
        List<List<String>> rows = new ArrayList<>();
        for (Landscape.LossLandscape landscape : summary.losses()) {
            Landscape.Plane plane = landscape.plane();
            rows.add(List.of(landscape.id(), landscape.loss() + (landscape.parameters().isEmpty() ? ""
                    : "(" + ImbalanceCommand.parameters(landscape.parameters()) + ")"), landscape.outputActivation(),
                    Stats.fixed(landscape.initialLoss(), 4), Stats.fixed(landscape.finalLoss(), 4),
                    Stats.fixed(landscape.finalAccuracy(), 3), landscape.lineDecreasesFrom0To1() ? "yes" : "no",
                    Stats.fixed(plane.minLoss(), 4), Stats.fixed(plane.maxLoss(), 4)));
        }
        doc.table(List.of("loss", "class", "output", "initial loss", "final loss", "train accuracy",
                "decreases along the line", "plane min", "plane max"), rows);
        doc.paragraph("Losses are on their own scales: compare shapes, not heights. The plane's minimum can lie"
                + " off-centre: the trained weights are a minimum of the training loss only along the directions"
                + " the optimiser could use, and the plane's coordinates are large steps.");
        doc.figure(TASK_PNG, "The training points.");
        for (Landscape.LossLandscape landscape : summary.losses()) {
            doc.figure(figureFile(landscape.id()), landscape.id() + ": left, the training loss along the straight"
                    + " line through the initial (t=0) and final (t=1) weights; right, log10 of the training loss"
                    + " over the plane through the final weights (centre).");
        }
        List<String> files = new ArrayList<>(List.of(LabFiles.SUMMARY_JSON, LINE_CSV));
        summary.losses().forEach(l -> files.add(planeFile(l.id())));
        doc.files(files.toArray(String[]::new));
        return doc;
    }

    private static void print(Landscape.Summary summary, Path directory, double seconds, PrintWriter out) {
        out.printf(Locale.ROOT, "LossKit landscape: %s, %d points (seed %d)%n", summary.task(), summary.rows(),
                summary.seed());
        out.printf(Locale.ROOT, "%-14s %12s %12s %9s %10s %12s %12s%n", "loss", "initial", "final", "accuracy",
                "monotone", "plane min", "plane max");
        for (Landscape.LossLandscape landscape : summary.losses()) {
            out.printf(Locale.ROOT, "%-14s %12.5f %12.5f %9.3f %10s %12.5f %12.5g%n", landscape.id(),
                    landscape.initialLoss(), landscape.finalLoss(), landscape.finalAccuracy(),
                    landscape.lineDecreasesFrom0To1() ? "yes" : "no", landscape.plane().minLoss(),
                    landscape.plane().maxLoss());
        }
        out.printf(Locale.ROOT, "files: %s (%s, %s, %s, ...) (%.1f s)%n", directory.toAbsolutePath().normalize(),
                LabFiles.SUMMARY_JSON, LabFiles.SUMMARY_MARKDOWN, TASK_PNG, seconds);
        out.flush();
    }
}
