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
        description = "LossKit's loss lab: small, reproducible experiments with the LossKit losses."
                + " Without a subcommand it runs focal-demo with its defaults.",
        subcommands = {FocalDemoCommand.class, BenchCommand.class})
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

    @Override
    public Integer call() {
        // through picocli rather than `new FocalDemoCommand()`, so that the defaults and checks are the
        // subcommand's own
        return spec.subcommands().get(FocalDemoCommand.NAME).execute();
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
