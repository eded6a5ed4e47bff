package io.github.losskit.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code losskit report}: every lab command with its defaults, and one HTML page over all of them. */
@Command(name = ReportCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        sortOptions = false,
        header = "Runs imbalance, pr, landscape and gradients; one HTML page with every figure and table.",
        description = {
            "Runs imbalance, pr, landscape and gradients with their defaults (each into DIR/COMMAND) and writes"
                    + " DIR/index.html, one page linking every figure and table, and DIR/summary.json."
        })
final class ReportCommand implements Callable<Integer> {

    static final String NAME = "report";
    static final String INDEX = "index.html";
    /** The commands the report runs, in the order of the page. */
    static final List<String> COMMANDS = List.of(ImbalanceCommand.NAME, PrCommand.NAME, LandscapeCommand.NAME,
            GradientsCommand.NAME);

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed passed to every command that has one (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "target/losskit/" + NAME, paramLabel = "DIR",
            description = "Output directory, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    record Section(String command, String directory, String summaryJson, String summaryMarkdown,
            List<String> arguments, double seconds) {
    }

    record Summary(String command, long seed, String index, List<Section> sections, double seconds) {
    }

    @Override
    public Integer call() {
        Path directory = LabFiles.writableDirectory(spec.commandLine(), out);
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        List<String> html = new ArrayList<>();
        for (int i = 0; i < COMMANDS.size(); i++) {
            String name = COMMANDS.get(i);
            CommandLine command = spec.commandLine().getParent().getSubcommands().get(name);
            List<String> arguments = new ArrayList<>(List.of("--out", directory.resolve(name).toString()));
            if (command.getCommandSpec().findOption("--seed") != null) {
                arguments.addAll(List.of("--seed", Long.toString(seed)));
            }
            stdout.printf(Locale.ROOT, "== report %d/%d: losskit %s %s%n", i + 1, COMMANDS.size(), name,
                    String.join(" ", arguments));
            stdout.flush();
            long commandStart = System.nanoTime();
            // through picocli, so that each command runs with its own defaults and checks
            int exitCode = command.execute(arguments.toArray(String[]::new));
            if (exitCode != 0) {
                return exitCode; // the command has said what went wrong, in one line
            }
            double seconds = (System.nanoTime() - commandStart) / 1e9;
            sections.add(new Section(name, name, name + "/" + LabFiles.SUMMARY_JSON,
                    name + "/" + LabFiles.SUMMARY_MARKDOWN, List.copyOf(arguments), seconds));
            Doc doc = ((LabCommand) command.getCommand()).document();
            String section = doc.htmlSection(name, name + "/");
            html.add(section.substring(0, section.lastIndexOf("</section>")) + String.format(Locale.ROOT,
                    "<p class=\"meta\">Ran <code>losskit %s %s</code> in %.1f s; <a href=\"%s\">summary.md</a>,"
                            + " <a href=\"%s\">summary.json</a>.</p>%n", name, Doc.escape(String.join(" ",
                                    relative(arguments, directory))), seconds, name + "/" + LabFiles.SUMMARY_MARKDOWN,
                    name + "/" + LabFiles.SUMMARY_JSON) + "</section>\n");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LabFiles.writeText(directory.resolve(INDEX), page(sections, html, seconds));
        LabFiles.writeJson(directory, LabFiles.SUMMARY_JSON, new Summary(NAME, seed, INDEX, sections, seconds));
        stdout.printf(Locale.ROOT, "== report: %s (%s)%n", directory.resolve(INDEX).toAbsolutePath().normalize(),
                format(seconds));
        stdout.flush();
        return 0;
    }

    /** The arguments with the report's own directory left out of --out, as they read on the page. */
    private static List<String> relative(List<String> arguments, Path directory) {
        List<String> shown = new ArrayList<>();
        for (String argument : arguments) {
            shown.add(argument.startsWith(directory.toString()) ? "DIR" + argument.substring(
                    directory.toString().length()) : argument);
        }
        return shown;
    }

    private static String format(double seconds) {
        Duration duration = Duration.ofMillis(Math.round(seconds * 1000));
        return String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    private String page(List<Section> sections, List<String> html, double seconds) {
        String version = new LossKitCommand.Version().getVersion()[0];
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>LossKit loss lab report</title>\n<style>\n")
                .append("body { font-family: sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em;"
                        + " color: #222; line-height: 1.45; }\n")
                .append("h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }\n")
                .append("table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }\n")
                .append("th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }\n")
                .append("th { background: #f3f3f3; } td.num, th.num { text-align: right;"
                        + " font-variant-numeric: tabular-nums; }\n")
                .append("figure { margin: 1em 0; } img { max-width: 100%; border: 1px solid #eee; }\n")
                .append("figcaption, .meta, .files { color: #555; font-size: 0.9em; }\n")
                .append("code { background: #f5f5f5; padding: 0 0.2em; }\n</style>\n</head>\n<body>\n")
                .append("<h1>LossKit loss lab report</h1>\n<p class=\"meta\">")
                .append(Doc.escape(version)).append("; seed ").append(seed).append("; ")
                .append(String.format(Locale.ROOT, "%d commands in %s", sections.size(), format(seconds)))
                .append(". Every command can be rerun alone with the options shown under it.</p>\n<ul>\n");
        for (Section section : sections) {
            page.append("<li><a href=\"#").append(section.command()).append("\">").append(section.command())
                    .append("</a></li>\n");
        }
        page.append("</ul>\n");
        html.forEach(page::append);
        return page.append("</body>\n</html>\n").toString();
    }
}
