package io.github.losskit.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.PropertyNamingStrategies;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The output directory, summary.json and the other files every lab command writes. */
final class LabFiles {

    static final String SUMMARY_JSON = "summary.json";
    static final String SUMMARY_MARKDOWN = "summary.md";

    /**
     * The JSON of the lab commands other than focal-demo: records' components in snake_case, as the keys of
     * {@code losskit pr --json} (scikit-learn's names). Map keys are written as they are: loss parameters keep
     * their Java names (gamma, alpha, posWeight).
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final ObjectMapper COMPACT_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private LabFiles() {
    }

    /**
     * Creates {@code directory} and proves it writable now, so that a bad --out cannot waste a run; reported as
     * a bad option.
     */
    static Path writableDirectory(CommandLine commandLine, Path directory) {
        try {
            Files.createDirectories(directory);
            Files.delete(Files.createTempFile(directory, ".losskit-", ".probe"));
            return directory;
        } catch (IOException | SecurityException e) {
            throw new ParameterException(commandLine, "cannot write to --out " + directory + ": " + reason(e));
        }
    }

    /** NIO's exceptions name only the path; the reason is in their type or their errno text. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
            return fileSystemException.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    /** Keys and values alternating, in this order (Map.of's order changes from run to run). */
    static java.util.Map<String, String> orderedMap(String... keysAndValues) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
    }

    /** On one line. */
    static String compactJson(Object value) {
        try {
            return COMPACT_JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getSimpleName(), e);
        }
    }

    static Path writeJson(Path directory, String name, Object value) {
        return writeText(directory.resolve(name), json(value));
    }

    static Path writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + reason(e), e);
        }
    }
}
