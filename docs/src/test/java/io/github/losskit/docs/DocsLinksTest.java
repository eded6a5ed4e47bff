package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Relative links in the pages and the README lead to files that exist and, with a {@code #fragment}, to a
 * heading of that file (GitHub's heading anchors). Links to web sites are not followed.
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");

    @TestFactory
    Stream<DynamicTest> relativeLinksResolve() {
        return DocsLocation.markdownFiles().stream().map(file -> dynamicTest(DocsLocation.displayName(file),
                () -> assertEquals(List.of(), brokenLinks(file), "broken links in " + DocsLocation.displayName(file))));
    }

    @Test
    void headingAnchorsFollowGitHub() {
        assertEquals("choosing-a-loss", anchor("Choosing a loss"));
        assertEquals("json-model-files-and-names", anchor("JSON, model files and names"));
        assertEquals("rules-for-terms", anchor("Rules for `terms`"));
    }

    static List<String> brokenLinks(Path file) throws IOException {
        List<String> broken = new ArrayList<>();
        for (String target : links(Files.readAllLines(file))) {
            if (target.matches("^[a-z]+:.*")) {
                continue;
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!Files.exists(resolved)) {
                broken.add(target + " (no " + resolved + ")");
            } else if (fragment != null && resolved.toString().endsWith(".md")
                    && !anchors(resolved).contains(fragment)) {
                broken.add(target + " (no heading #" + fragment + " in " + resolved.getFileName() + ")");
            }
        }
        return broken;
    }

    /** Link targets outside code blocks and inline code. */
    private static List<String> links(List<String> lines) {
        List<String> targets = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    private static Set<String> anchors(Path markdown) {
        try {
            return Files.readAllLines(markdown).stream().filter(l -> l.matches("^#{1,6} .*"))
                    .map(l -> anchor(l.replaceFirst("^#{1,6} ", ""))).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces turned into hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
