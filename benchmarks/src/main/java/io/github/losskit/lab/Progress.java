package io.github.losskit.lab;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for the lab's long work, so that stdout keeps only results. {@code
 * -Dlosskit.progress=false} turns the bars off (the tests do, to keep CI logs readable).
 */
final class Progress implements AutoCloseable {

    static final String PROPERTY = "losskit.progress";

    /** Width of the bar when stderr is not a console (a log file or a pipe), where no width can be asked. */
    private static final int WIDTH_WITHOUT_CONSOLE = 100;

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar for {@code steps} steps of {@code task}; close it (try-with-resources) before printing results. */
    static Progress start(String task, long steps) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return new Progress(null);
        }
        PrintStream err = System.err;
        // without a console, jline cannot tell the width (and warns if asked), so the width is fixed
        ConsoleProgressBarConsumer consumer = System.console() != null ? new ConsoleProgressBarConsumer(err)
                : new ConsoleProgressBarConsumer(err, WIDTH_WITHOUT_CONSOLE);
        return new Progress(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(consumer)
                .build());
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Names the work now under way after the bar. */
    void message(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
