package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

/** Runs the lab in-process and reads what it wrote. */
final class Lab {

    private Lab() {
    }

    record Outcome(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Outcome losskit(String... args) {
        return losskit(null, args);
    }

    /** With {@code defaults} in place of the options' own defaults where it has a value (for tiny runs). */
    static Outcome losskit(CommandLine.IDefaultValueProvider defaults, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = LossKitCommand.newCommandLine();
        if (defaults != null) {
            commandLine.setDefaultValueProvider(defaults);
        }
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    /** Runs and asserts success. */
    static Outcome ok(String... args) {
        Outcome outcome = losskit(args);
        assertEquals(0, outcome.exitCode(), () -> "losskit " + String.join(" ", args) + ": " + outcome.err());
        return outcome;
    }

    /**
     * Defaults per "command.option" (e.g. "imbalance.--rows"), falling back to each option's own default:
     * picocli asks the provider for every option of every command it parses.
     */
    static CommandLine.IDefaultValueProvider defaults(Map<String, String> values) {
        return argSpec -> {
            if (argSpec instanceof CommandLine.Model.OptionSpec option && argSpec.command() != null) {
                for (String name : option.names()) {
                    String key = argSpec.command().name() + "." + name;
                    if (values.containsKey(key)) {
                        return values.get(key);
                    }
                }
            }
            return argSpec.defaultValue();
        };
    }

    /** Asserts the failure a user should see: a non-zero exit, one line naming the problem, no stack trace. */
    static void assertOneLineError(Outcome outcome, String... mentioned) {
        assertNotEquals(0, outcome.exitCode(), outcome.out());
        assertEquals(1, outcome.errLines().size(), outcome.err());
        String message = outcome.errLines().get(0);
        for (String expected : mentioned) {
            assertTrue(message.contains(expected), () -> "'" + expected + "' not in: " + message);
        }
        assertFalse(message.contains("Exception"), message);
        assertFalse(message.contains("\tat "), message);
        assertEquals("", outcome.out());
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    /** Rows of a CSV file with a header, as maps from column to text. */
    static List<Map<String, String>> csv(Path file) {
        try (Reader reader = Files.newBufferedReader(file);
                CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader()
                        .setSkipHeaderRecord(true).get())) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG that decodes, of a size a reader can see. */
    static void assertPng(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, file + " is not an image");
            assertTrue(image.getWidth() >= 500 && image.getHeight() >= 400, file + " is too small");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
