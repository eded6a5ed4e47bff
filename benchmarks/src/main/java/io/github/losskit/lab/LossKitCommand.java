package io.github.losskit.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code losskit} command line: the loss lab's experiments, one subcommand each. */
@Command(name = "losskit",
        mixinStandardHelpOptions = true,
        versionProvider = LossKitCommand.Version.class,
        description = {
            "LossKit's loss lab: small, reproducible experiments with the LossKit losses; each command writes"
                    + " PNG figures, summary.md and summary.json into its --out directory.",
            "Without a subcommand it runs the lab's default comparison, `imbalance` with its defaults: BCE,"
                    + " weighted BCE and focal loss over a gamma sweep at 1:10 class imbalance."
        },
        subcommands = {ImbalanceCommand.class, PrCommand.class, LandscapeCommand.class, GradientsCommand.class,
            ReportCommand.class, FocalDemoCommand.class, BenchCommand.class})
public final class LossKitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String... args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The command line with the lab's one-line error reporting, for {@link #main} and for tests. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new LossKitCommand());
        OneLineErrors errors = new OneLineErrors();
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        return commandLine;
    }

    /** What {@code losskit} without a subcommand runs (with that command's defaults). */
    static final String DEFAULT_COMMAND = ImbalanceCommand.NAME;

    @Override
    public Integer call() {
        // through picocli rather than `new ImbalanceCommand()`, so that the defaults and checks are the
        // subcommand's own
        return spec.subcommands().get(DEFAULT_COMMAND).execute();
    }

    /** The project version, filtered into {@code version.properties} by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties versions = new Properties();
            try (InputStream in = LossKitCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    versions.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                "losskit " + versions.getProperty("version", "(unknown version)"),
                "Deeplearning4j " + versions.getProperty("dl4j", "(unknown version)") + ", Java "
                        + System.getProperty("java.version")
            };
        }
    }
}
