package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block in {@code docs/**}{@code /*.md} and in the repository's README is a copy of a
 * region of a class in this package, so every snippet a reader sees compiles and is run by a test.
 */
class DocsSnippetsTest {

    @TestFactory
    Stream<DynamicTest> everyJavaBlockEqualsItsCompiledRegion() {
        SnippetChecker checker = new SnippetChecker(DocsLocation.snippetSourceDir());
        return DocsLocation.markdownFiles().stream().map(file -> {
            String name = DocsLocation.displayName(file);
            return dynamicTest(name, () -> {
                SnippetChecker.Result result = checker.check(name, Files.readAllLines(file));
                if (!result.problems().isEmpty()) {
                    fail(result.problems().size() + " snippet problem(s):\n" + result.problems().stream()
                            .map(SnippetChecker.Problem::toString).collect(Collectors.joining("\n")));
                }
            });
        });
    }

    @Test
    void theRepositoryReadmeIsScannedAndItsQuickStartIsASnippet() throws IOException {
        Path readme = DocsLocation.repositoryReadme();
        assertTrue(DocsLocation.markdownFiles().contains(readme), "README.md at the repository root is not scanned: "
                + readme);
        List<String> lines = Files.readAllLines(readme);
        SnippetChecker.Result result = new SnippetChecker(DocsLocation.snippetSourceDir())
                .check(DocsLocation.displayName(readme), lines);
        assertTrue(result.javaBlocks() >= 1, "README.md should show the quick start as a ```java block");
        assertTrue(lines.stream().anyMatch(l -> l.contains("<!-- snippet: FocalSnippetsTest#quickStart -->")),
                "README.md's quick start should be the region FocalSnippetsTest#quickStart");
    }

    @Test
    void theDocsPagesAreFound() {
        List<String> names = DocsLocation.markdownFiles().stream().map(DocsLocation::displayName).toList();
        for (String page : List.of("docs/README.md", "docs/conventions.md", "docs/custom-loss.md",
                "docs/samediff.md", "docs/losses/LossFocal.md")) {
            assertTrue(names.contains(page), page + " not among the scanned pages " + names);
        }
    }

    /** The checker must fail in each of the ways it promises; otherwise the test above proves nothing. */
    @Nested
    class TheChecker {

        @TempDir
        Path sources;

        private SnippetChecker.Result check(String... page) throws IOException {
            Files.writeString(sources.resolve("Example.java"), String.join("\n",
                    "class Example {",
                    "    void run() {",
                    "        // region: greet",
                    "        String greeting = \"hello\";",
                    "        System.out.println(greeting);",
                    "        // endregion",
                    "    }",
                    "}"));
            return new SnippetChecker(sources).check("page.md", List.of(page));
        }

        @Test
        void acceptsACopyIndentedDifferently() throws IOException {
            SnippetChecker.Result result = check(
                    "Text.",
                    "",
                    "<!-- snippet: Example#greet -->",
                    "",
                    "```java",
                    "    String greeting = \"hello\";   ",
                    "    System.out.println(greeting);",
                    "```");
            assertEquals(List.of(), result.problems());
            assertEquals(1, result.javaBlocks());
        }

        @Test
        void failsOnAJavaBlockWithoutMarker() throws IOException {
            SnippetChecker.Result result = check("```java", "int x = 1;", "```");
            assertOneProblem(result, 1, "without a preceding");
        }

        @Test
        void failsOnAMarkerSeparatedFromItsBlockByText() throws IOException {
            SnippetChecker.Result result = check("<!-- snippet: Example#greet -->", "Some text.", "```java",
                    "String greeting = \"hello\";", "System.out.println(greeting);", "```");
            assertEquals(2, result.problems().size(), result.problems().toString());
            assertTrue(result.problems().get(0).message().contains("not followed by a ```java block"));
            assertTrue(result.problems().get(1).message().contains("without a preceding"));
        }

        @Test
        void failsOnAMarkerNamingAMissingRegionOrClass() throws IOException {
            assertOneProblem(check("<!-- snippet: Example#farewell -->", "```java", "x();", "```"), 1,
                    "names region 'farewell', which Example.java does not have (its regions: greet)");
            assertOneProblem(check("<!-- snippet: Missing#greet -->", "```java", "x();", "```"), 1,
                    "there is no");
        }

        @Test
        void ignoresAMarkerQuotedInProse() throws IOException {
            assertEquals(List.of(), check("Write `<!-- snippet: ClassName#region -->` before a block.").problems());
        }

        @Test
        void failsOnAMalformedMarker() throws IOException {
            SnippetChecker.Result result = check("<!-- snippet: Example.greet -->", "```java", "x();", "```");
            assertEquals(2, result.problems().size(), result.problems().toString());
            assertTrue(result.problems().get(0).message().contains("malformed snippet marker"));
            assertTrue(result.problems().get(1).message().contains("without a preceding"));
        }

        @Test
        void failsOnAnyDifferenceWithADiff() throws IOException {
            SnippetChecker.Result result = check(
                    "<!-- snippet: Example#greet -->",
                    "```java",
                    "String greeting = \"hi\";",
                    "System.out.println(greeting);",
                    "```");
            SnippetChecker.Problem problem = assertOneProblem(result, 2, "differs from Example#greet");
            assertTrue(problem.message().endsWith("\n- String greeting = \"hello\";\n"
                    + "+ String greeting = \"hi\";\n"
                    + "  System.out.println(greeting);\n"), problem.message());
        }

        @Test
        void ignoresOtherLanguagesAndJavaShownInsideAnOuterFence() throws IOException {
            SnippetChecker.Result result = check(
                    "```sh",
                    "./mvnw -B verify",
                    "```",
                    "````markdown",
                    "```java",
                    "not checked",
                    "```",
                    "````");
            assertEquals(List.of(), result.problems());
            assertEquals(0, result.javaBlocks());
        }

        @Test
        void reportsNestedDuplicateAndUnclosedRegions() {
            SnippetChecker.SourceRegions regions = SnippetChecker.regions(Path.of("Bad.java"), List.of(
                    "// region: a", "// endregion",
                    "// region: a", "// endregion",
                    "// region: b", "// region: c", "// endregion",
                    "// region: d"));
            String problems = regions.problems().toString();
            assertTrue(problems.contains("'a' is defined twice"), problems);
            assertTrue(problems.contains("'c' starts inside region 'b'"), problems);
            assertTrue(problems.contains("'d' has no // endregion"), problems);
        }

        private SnippetChecker.Problem assertOneProblem(SnippetChecker.Result result, int line, String text) {
            assertEquals(1, result.problems().size(), result.problems().toString());
            SnippetChecker.Problem problem = result.problems().get(0);
            assertEquals(line, problem.line(), problem.toString());
            assertTrue(problem.message().contains(text), problem.toString());
            return problem;
        }
    }
}
