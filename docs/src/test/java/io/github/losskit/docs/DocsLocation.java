package io.github.losskit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the documentation lives on disk. The build passes the module directory as a system property; an IDE
 * that runs a test directly may not, so the compiled classes' location and the working directory (the module
 * or the repository root) are tried as well.
 */
final class DocsLocation {

    static final String PROPERTY = "losskit.docs.dir";
    static final String SNIPPET_PACKAGE_PATH = "src/test/java/io/github/losskit/docs";

    private DocsLocation() {
    }

    /** The docs module directory: it holds the pages, {@code losses/}, the pom and this package's sources. */
    static Path moduleDir() {
        Set<Path> candidates = new LinkedHashSet<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Paths.get(property));
        }
        compiledClassesDir().ifPresent(classes -> {
            // compiled into <module>/target/test-classes
            if (classes.getParent() != null && classes.getParent().getParent() != null) {
                candidates.add(classes.getParent().getParent());
            }
        });
        Path workingDir = Paths.get("").toAbsolutePath();
        candidates.add(workingDir);
        candidates.add(workingDir.resolve("docs"));
        for (Path candidate : candidates) {
            Path dir = candidate.toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve(SNIPPET_PACKAGE_PATH))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the docs module (a directory with pom.xml and "
                + SNIPPET_PACKAGE_PATH + "); tried " + candidates + ". Set -D" + PROPERTY + "=<path to docs>.");
    }

    static Path lossPagesDir() {
        return moduleDir().resolve("losses");
    }

    static Path snippetSourceDir() {
        return moduleDir().resolve(SNIPPET_PACKAGE_PATH);
    }

    static Path repositoryReadme() {
        return moduleDir().getParent().resolve("README.md");
    }

    /** Every Markdown page of the docs module (build output excluded) and the repository's README. */
    static List<Path> markdownFiles() {
        Path module = moduleDir();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(module)) {
            walk.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !module.relativize(p).startsWith("target"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path readme = repositoryReadme();
        if (Files.isRegularFile(readme)) {
            files.add(readme);
        }
        return files;
    }

    /** A path as a reader of the repository would write it, e.g. {@code docs/losses/LossFocal.md}. */
    static String displayName(Path file) {
        Path root = moduleDir().getParent();
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString().replace('\\', '/') : file.toString();
    }

    private static Optional<Path> compiledClassesDir() {
        try {
            var source = DocsLocation.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path path = Paths.get(source.getLocation().toURI());
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
