package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress bars go to stderr (the tests turn them off elsewhere, to keep the CI log readable). */
class ProgressTest {

    @TempDir
    Path temp;

    @Test
    void longWorkDrawsABarOnStderr() {
        PrintStream err = System.err;
        String setting = System.getProperty(Progress.PROPERTY);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setProperty(Progress.PROPERTY, "true");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Lab.ok("landscape", "--rows", "40", "--epochs", "1", "--grid", "3", "--loss", "bce", "--out",
                    temp.toString());
        } finally {
            System.setErr(err);
            if (setting == null) {
                System.clearProperty(Progress.PROPERTY);
            } else {
                System.setProperty(Progress.PROPERTY, setting);
            }
        }
        String bar = captured.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("landscape") && bar.contains("100%"), bar);
    }
}
