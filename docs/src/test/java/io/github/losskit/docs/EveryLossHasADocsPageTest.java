package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A newcomer finds everything about a loss by its name: every public {@code Loss*} class of the DL4J adapter
 * has {@code docs/losses/<SimpleName>.md}, the page has the sections every loss page has, and the docs index
 * links to it. The classes are read from the class path (a directory in the reactor, a jar from the local
 * repository), so a new loss without a page fails this test without anyone editing it.
 */
class EveryLossHasADocsPageTest {

    static final String PACKAGE = "io.github.losskit.dl4j";

    /** The sections of a loss page, as second-level headings, in this order. */
    static final List<String> SECTIONS = List.of("Formula", "Shapes and input", "Parameters",
            "Compared with PyTorch and Keras", "Numerical notes", "Replacing DL4J built-ins", "References");

    @Test
    void theClassPathScanFindsTheKnownLosses() {
        List<String> found = lossClassNames();
        for (String known : List.of("LossFocal", "LossCrossEntropy", "LossBinaryCrossEntropy")) {
            assertTrue(found.contains(known), "scan of " + PACKAGE + " found " + found + " but not " + known);
        }
    }

    /** In the reactor the adapter's classes are a directory, not a jar: this package is one too. */
    @Test
    void theScanReadsClassDirectoriesAndSkipsNonPublicClasses() {
        List<String> found = publicClassesNamedLoss(EveryLossHasADocsPageTest.class.getPackageName());
        assertEquals(List.of("LossCauchy"), found, "LossCauchyTest is not public and must not be listed");
    }

    @TestFactory
    Stream<DynamicTest> everyLossClassHasAPage() {
        return lossClassNames().stream().map(name -> dynamicTest(name, () -> {
            Path page = DocsLocation.lossPagesDir().resolve(name + ".md");
            if (!Files.isRegularFile(page)) {
                fail("public class " + PACKAGE + "." + name + " has no page " + DocsLocation.displayName(page)
                        + "; copy an existing page of docs/losses/ and link it from docs/README.md");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyLossPageHasTheCommonSectionsAndIsLinkedFromTheIndex() throws IOException {
        String index = Files.readString(DocsLocation.moduleDir().resolve("README.md"));
        List<Path> pages;
        try (Stream<Path> list = Files.list(DocsLocation.lossPagesDir())) {
            pages = list.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        return pages.stream().map(page -> dynamicTest(page.getFileName().toString(), () -> {
            String name = page.getFileName().toString().replace(".md", "");
            List<String> lines = Files.readAllLines(page);
            assertEquals("# " + name, lines.get(0), "the first line of " + page.getFileName() + " names its class");
            List<String> headings = lines.stream().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).trim())
                    .toList();
            List<String> present = headings.stream().filter(SECTIONS::contains).toList();
            assertEquals(SECTIONS, present, page.getFileName() + " should have the sections " + SECTIONS
                    + " in that order; its headings are " + headings);
            assertTrue(index.contains("(losses/" + name + ".md)"), "docs/README.md does not link losses/" + name
                    + ".md");
        }));
    }

    static List<String> lossClassNames() {
        return publicClassesNamedLoss(PACKAGE);
    }

    /** Simple names of the public top-level classes of a package whose name starts with "Loss". */
    static List<String> publicClassesNamedLoss(String packageName) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String resource = packageName.replace('.', '/');
        TreeSet<String> classFiles = new TreeSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(resource))) {
                switch (url.getProtocol()) {
                    case "file" -> classFiles.addAll(classFilesInDirectory(Paths.get(url.toURI())));
                    case "jar" -> classFiles.addAll(classFilesInJar(url, resource + "/"));
                    default -> throw new IllegalStateException("cannot list classes at " + url);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> names = new ArrayList<>();
        for (String file : classFiles) {
            String simpleName = file.substring(0, file.length() - ".class".length());
            if (!simpleName.startsWith("Loss") || simpleName.contains("$")) {
                continue;
            }
            try {
                Class<?> type = Class.forName(packageName + "." + simpleName, false, loader);
                if (Modifier.isPublic(type.getModifiers())) {
                    names.add(simpleName);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("listed but not loadable: " + simpleName, e);
            }
        }
        return names;
    }

    private static List<String> classFilesInDirectory(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).toList();
        }
    }

    private static List<String> classFilesInJar(URL url, String prefix) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        List<String> names = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith(prefix) && name.endsWith(".class") && name.indexOf('/', prefix.length()) < 0) {
                    names.add(name.substring(prefix.length()));
                }
            }
        }
        return names;
    }
}
