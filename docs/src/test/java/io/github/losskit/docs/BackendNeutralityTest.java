package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What docs/gpu.md says about backends: the library modules are written against ND4J's API only (no class
 * of a particular backend, no native memory), and they depend on a backend only in test scope, so the same
 * jars run on the CPU and the CUDA backend. What cannot be checked here, without a GPU, is that they do.
 */
class BackendNeutralityTest {

    static final List<String> LIBRARY_MODULES = List.of("loss-core", "loss-dl4j", "loss-samediff");

    /** Packages and calls that tie code to one backend or to native memory. */
    static final List<String> FORBIDDEN = List.of(
            "org.nd4j.linalg.cpu.", "org.nd4j.linalg.jcublas.", "org.nd4j.jita.", "org.nd4j.nativeblas.",
            "org.bytedeco.", "org.nd4j.linalg.api.memory.pointers.", ".addressPointer(", ".asNioBuffer(",
            "Nd4j.getNativeOps(", "NativeOpsHolder");

    private static Path repositoryRoot() {
        return DocsLocation.moduleDir().getParent();
    }

    @Test
    void libraryCodeUsesNoBackendSpecificClasses() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : LIBRARY_MODULES) {
            Path sources = repositoryRoot().resolve(module).resolve("src/main/java");
            List<Path> javaFiles;
            try (Stream<Path> walk = Files.walk(sources)) {
                javaFiles = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            for (Path file : javaFiles) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    for (String forbidden : FORBIDDEN) {
                        if (lines.get(i).contains(forbidden)) {
                            found.add(repositoryRoot().relativize(file) + ":" + (i + 1) + ": " + forbidden);
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "scanned only " + files + " files");
        assertEquals(List.of(), found, "backend-specific code in a library module");
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String child(Element element, String name) {
        NodeList nodes = element.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    @Test
    void backendsAreTestScopedInTheLibraryModules() throws Exception {
        // the parent's cpu and cuda profiles, inherited by every module, add the backends in test scope
        NodeList profiles = pom(repositoryRoot().resolve("pom.xml")).getElementsByTagName("profile");
        List<String> profileIds = new ArrayList<>();
        for (int p = 0; p < profiles.getLength(); p++) {
            Element profile = (Element) profiles.item(p);
            profileIds.add(child(profile, "id"));
            NodeList dependencies = profile.getElementsByTagName("dependency");
            assertTrue(dependencies.getLength() > 0, child(profile, "id"));
            for (int d = 0; d < dependencies.getLength(); d++) {
                Element dependency = (Element) dependencies.item(d);
                assertEquals("test", child(dependency, "scope"), "profile " + child(profile, "id") + ": "
                        + child(dependency, "artifactId"));
            }
        }
        assertTrue(profileIds.containsAll(List.of("cpu", "cuda")), profileIds.toString());
        // and no library module declares a backend itself
        for (String module : LIBRARY_MODULES) {
            String pom = Files.readString(repositoryRoot().resolve(module).resolve("pom.xml"));
            for (String backend : List.of("nd4j-native", "nd4j-cuda", "openblas")) {
                assertFalse(pom.contains(backend), module + "/pom.xml mentions " + backend);
            }
        }
    }

    @Test
    void whichBackend() {
        // region: whichBackend
        // "CpuBackend" for nd4j-native, "JCublasBackend" for nd4j-cuda-11.6
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        // endregion

        assertEquals("CpuBackend", backend, "the docs module tests on the CPU backend (default profile)");
    }
}
