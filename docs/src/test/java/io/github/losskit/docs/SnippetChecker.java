package io.github.losskit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every {@code ```java} block of a Markdown page is a copy of a region of compiled, tested code.
 *
 * <p>A block must be preceded (blank lines aside) by {@code <!-- snippet: ClassName#region -->}; the region is
 * the text between {@code // region: region} and {@code // endregion} in {@code ClassName.java} of the
 * snippet source directory. Block and region are compared after removing their common indentation, trailing
 * whitespace and leading/trailing blank lines, so that a snippet can be indented differently in the two
 * places and an editor that trims line ends cannot break the build. The Java region is the source of truth:
 * it is the code that runs.
 */
final class SnippetChecker {

    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern MARKER_TARGET = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)#([A-Za-z0-9_.-]+)");
    private static final Pattern FENCE_OPEN = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
    private static final Pattern REGION_START = Pattern.compile("^\\s*// region:\\s*(\\S+)\\s*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// endregion\\s*$");

    record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    record Region(String name, Path file, int firstLine, List<String> lines) {
    }

    /** The outcome for one page: what is wrong with it, and how many Java blocks it has. */
    record Result(List<Problem> problems, int javaBlocks) {
    }

    private final Path sourceDir;
    private final Map<String, SourceRegions> sourceCache = new HashMap<>();

    SnippetChecker(Path sourceDir) {
        this.sourceDir = sourceDir;
    }

    Result check(String pageName, List<String> pageLines) {
        List<Problem> problems = new ArrayList<>();
        int javaBlocks = 0;
        String pendingMarker = null;
        int pendingMarkerLine = 0;
        int i = 0;
        while (i < pageLines.size()) {
            String line = pageLines.get(i);
            Matcher fence = FENCE_OPEN.matcher(line);
            if (fence.matches() && !(fence.group(1).charAt(0) == '`' && fence.group(2).contains("`"))) {
                int closing = closingFence(pageLines, i, fence.group(1));
                String language = firstWord(fence.group(2)).toLowerCase(Locale.ROOT);
                List<String> body = pageLines.subList(i + 1, closing);
                if (language.equals("java")) {
                    javaBlocks++;
                    if (pendingMarker == null) {
                        problems.add(new Problem(pageName, i + 1, "```java block without a preceding"
                                + " <!-- snippet: ClassName#region --> line; every Java block must be a region of"
                                + " a tested class in " + sourceDir));
                    } else {
                        checkBlock(pageName, pendingMarker, pendingMarkerLine, i + 1, body, problems);
                    }
                } else if (pendingMarker != null) {
                    problems.add(new Problem(pageName, pendingMarkerLine, "snippet marker is followed by a ```"
                            + language + " block, not a ```java block"));
                }
                if (closing == pageLines.size()) {
                    problems.add(new Problem(pageName, i + 1, "code block is never closed"));
                }
                pendingMarker = null;
                i = closing + 1;
                continue;
            }
            Matcher marker = MARKER.matcher(line);
            if (marker.matches() || (line.trim().startsWith("<!--") && line.contains("snippet"))) {
                if (pendingMarker != null) {
                    problems.add(new Problem(pageName, pendingMarkerLine,
                            "snippet marker is not followed by a ```java block"));
                }
                if (marker.matches() && MARKER_TARGET.matcher(marker.group(1)).matches()) {
                    pendingMarker = marker.group(1);
                    pendingMarkerLine = i + 1;
                } else {
                    problems.add(new Problem(pageName, i + 1, "malformed snippet marker '" + line.trim()
                            + "'; write <!-- snippet: ClassName#region -->"));
                    pendingMarker = null;
                }
            } else if (!line.isBlank() && pendingMarker != null) {
                problems.add(new Problem(pageName, pendingMarkerLine,
                        "snippet marker is not followed by a ```java block"));
                pendingMarker = null;
            }
            i++;
        }
        if (pendingMarker != null) {
            problems.add(new Problem(pageName, pendingMarkerLine, "snippet marker is not followed by a ```java block"));
        }
        return new Result(problems, javaBlocks);
    }

    private void checkBlock(String pageName, String target, int markerLine, int blockLine, List<String> body,
            List<Problem> problems) {
        Matcher m = MARKER_TARGET.matcher(target);
        if (!m.matches()) {
            throw new IllegalStateException("unchecked marker " + target);
        }
        String className = m.group(1);
        String regionName = m.group(2);
        SourceRegions source = sourceCache.computeIfAbsent(className, this::readSource);
        if (source.file == null) {
            problems.add(new Problem(pageName, markerLine, "snippet " + target + " names class " + className
                    + ", but there is no " + sourceDir.resolve(className + ".java")));
            return;
        }
        for (Problem p : source.problems) {
            problems.add(new Problem(pageName, markerLine, "snippet " + target + ": " + p));
        }
        Region region = source.regions.get(regionName);
        if (region == null) {
            problems.add(new Problem(pageName, markerLine, "snippet " + target + " names region '" + regionName
                    + "', which " + className + ".java does not have (its regions: "
                    + String.join(", ", source.regions.keySet()) + ")"));
            return;
        }
        List<String> expected = normalize(region.lines());
        List<String> actual = normalize(body);
        if (!expected.equals(actual)) {
            problems.add(new Problem(pageName, blockLine, "```java block differs from " + target + " ("
                    + region.file().getFileName() + ":" + region.firstLine() + "). Copy the region into the page;"
                    + " the Java file is the code that is compiled and tested.\n"
                    + "--- " + target + " (compiled)\n+++ " + pageName + " (page)\n" + diff(expected, actual)));
        }
    }

    private SourceRegions readSource(String className) {
        Path file = sourceDir.resolve(className + ".java");
        if (!Files.isRegularFile(file)) {
            return new SourceRegions(null, Map.of(), List.of());
        }
        try {
            return regions(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record SourceRegions(Path file, Map<String, Region> regions, List<Problem> problems) {
    }

    /** The regions of a Java source, and what is wrong with its region markers (nesting, duplicates). */
    static SourceRegions regions(Path file, List<String> lines) {
        Map<String, Region> regions = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String open = null;
        int openLine = 0;
        List<String> body = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher start = REGION_START.matcher(line);
            if (start.matches()) {
                if (open != null) {
                    problems.add(new Problem(file.getFileName().toString(), i + 1, "region '" + start.group(1)
                            + "' starts inside region '" + open + "'; regions cannot nest"));
                }
                open = start.group(1);
                openLine = i + 1;
                body = new ArrayList<>();
            } else if (REGION_END.matcher(line).matches()) {
                if (open == null) {
                    problems.add(new Problem(file.getFileName().toString(), i + 1, "// endregion without a region"));
                } else if (regions.containsKey(open)) {
                    problems.add(new Problem(file.getFileName().toString(), openLine, "region '" + open
                            + "' is defined twice"));
                } else {
                    regions.put(open, new Region(open, file, openLine + 1, List.copyOf(body)));
                }
                open = null;
            } else if (open != null) {
                body.add(line);
            }
        }
        if (open != null) {
            problems.add(new Problem(file.getFileName().toString(), openLine, "region '" + open
                    + "' has no // endregion"));
        }
        return new SourceRegions(file, regions, problems);
    }

    /** Trailing whitespace, leading and trailing blank lines and the common indentation removed. */
    static List<String> normalize(List<String> lines) {
        List<String> trimmed = new ArrayList<>();
        for (String line : lines) {
            trimmed.add(line.stripTrailing());
        }
        while (!trimmed.isEmpty() && trimmed.get(0).isEmpty()) {
            trimmed.remove(0);
        }
        while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
            trimmed.remove(trimmed.size() - 1);
        }
        int indent = Integer.MAX_VALUE;
        for (String line : trimmed) {
            if (!line.isEmpty()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> result = new ArrayList<>();
        for (String line : trimmed) {
            result.add(line.isEmpty() ? line : line.substring(indent));
        }
        return result;
    }

    /**
     * A line diff in the style of {@code diff -u} without hunks: {@code "  "} common, {@code "- "} only in the
     * compiled region, {@code "+ "} only in the page. Built from a longest common subsequence; snippets are
     * short enough for the quadratic table.
     */
    static String diff(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = expected.get(i).equals(actual.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                out.append("  ").append(expected.get(i)).append('\n');
                i++;
                j++;
            } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
                out.append("- ").append(visible(expected.get(i++))).append('\n');
            } else {
                out.append("+ ").append(visible(actual.get(j++))).append('\n');
            }
        }
        return out.toString();
    }

    /** Tabs shown, so that a line differing only in them does not look identical in the report. */
    private static String visible(String line) {
        return line.replace("\t", "\\t");
    }

    /** Index of the line closing the fence opened at {@code open}, or the number of lines if none does. */
    private static int closingFence(List<String> lines, int open, String opening) {
        char fenceChar = opening.charAt(0);
        Pattern closing = Pattern.compile("^ {0,3}" + Pattern.quote(String.valueOf(fenceChar)) + "{"
                + opening.length() + ",}\\s*$");
        for (int i = open + 1; i < lines.size(); i++) {
            if (closing.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        return lines.size();
    }

    private static String firstWord(String info) {
        String trimmed = info.trim();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end)) && trimmed.charAt(end) != '{') {
            end++;
        }
        return trimmed.substring(0, end);
    }
}
