package io.github.losskit.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * A CSV file with a header row, read whole into strings (commons-csv), with errors that name the file, the
 * column and the line, as {@link InputException}s.
 */
final class CsvTable {

    private final String name;
    private final List<String> columns;
    private final List<String[]> rows;
    private final List<Long> lines;

    private CsvTable(String name, List<String> columns, List<String[]> rows, List<Long> lines) {
        this.name = name;
        this.columns = columns;
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * Reads {@code file}: RFC 4180 with a header row; spaces around fields (quoted or not) and blank lines are
     * ignored.
     */
    static CsvTable read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new InputException(name + " is a directory, not a CSV file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("no such file: " + name);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> columns = parser.getHeaderNames();
            if (columns.isEmpty()) {
                throw new InputException(name + " is empty: a header row naming the columns is needed");
            }
            List<String[]> rows = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw new InputException(String.format(Locale.ROOT, "%s line %d has %d fields, the header %d",
                            name, parser.getCurrentLineNumber(), record.size(), columns.size()));
                }
                rows.add(record.values());
                lines.add(parser.getCurrentLineNumber());
            }
            return new CsvTable(name, List.copyOf(columns), rows, lines);
        } catch (CharacterCodingException e) {
            throw new InputException(name + " is not UTF-8 text");
        } catch (IllegalArgumentException e) {
            // commons-csv reports duplicate or empty header names this way
            throw new InputException(name + ": bad header row: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new InputException(name + " is not valid CSV: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new InputException("cannot read " + name + ": " + LabFiles.reason(e));
        }
    }

    String name() {
        return name;
    }

    List<String> columns() {
        return columns;
    }

    int rows() {
        return rows.size();
    }

    /** The index of {@code column}, or an error listing the columns there are. */
    int column(String column, String option) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new InputException(String.format(Locale.ROOT, "%s %s: %s has no column '%s' (columns: %s)", option,
                    column, name, column, abbreviate(columns)));
        }
        return index;
    }

    String value(int row, int column) {
        return rows.get(row)[column];
    }

    long line(int row) {
        return lines.get(row);
    }

    /** A column as finite numbers, or an error naming the first value that is not one. */
    double[] numbers(int column) {
        double[] values = new double[rows.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = number(row, column);
        }
        return values;
    }

    double number(int row, int column) {
        String text = value(row, column);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InputException(String.format(Locale.ROOT, "%s line %d, column '%s': %s is not a number", name,
                    line(row), columns.get(column), text.isEmpty() ? "an empty field" : "'" + text + "'"));
        }
        if (!Double.isFinite(value) || text.chars().anyMatch(Character::isLetter)
                && !text.toLowerCase(Locale.ROOT).matches("[-+]?[0-9.]+e[-+]?[0-9]+")) {
            // Java parses "NaN", "Infinity", "1d" and "0x1p3"; none of them is a number in a CSV file
            throw new InputException(String.format(Locale.ROOT, "%s line %d, column '%s': '%s' is not a finite number",
                    name, line(row), columns.get(column), text));
        }
        return value;
    }

    /** The distinct values of a column with their counts, in order of first appearance. */
    Map<String, Integer> counts(int column) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String[] row : rows) {
            counts.merge(row[column], 1, Integer::sum);
        }
        return counts;
    }

    /** At most ten names, then how many more. */
    static String abbreviate(List<String> names) {
        String shown = names.stream().limit(10).map(n -> n.isEmpty() ? "''" : n).collect(Collectors.joining(", "));
        return names.size() > 10 ? shown + ", ... (" + names.size() + " in all)" : shown;
    }
}
