package io.github.losskit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

class ReportCommandTest {

    /** Each command's defaults made tiny; the report itself passes only --out and --seed. */
    static final Map<String, String> TINY_DEFAULTS = Map.ofEntries(
            Map.entry("imbalance.--rows", "330"), Map.entry("imbalance.--epochs", "1"),
            Map.entry("imbalance.--repeats", "1"), Map.entry("imbalance.--gamma", "2"),
            Map.entry("imbalance.--alpha", "0.25"),
            Map.entry("landscape.--rows", "40"), Map.entry("landscape.--epochs", "2"),
            Map.entry("landscape.--grid", "3"), Map.entry("landscape.--loss", "focal"),
            Map.entry("gradients.--points", "51"));

    @TempDir
    Path temp;

    @Test
    void onePageLinksEveryFigureAndTable() throws IOException {
        Path out = temp.resolve("report");
        Lab.Outcome outcome = Lab.losskit(Lab.defaults(TINY_DEFAULTS), "report", "--seed", "3", "--out",
                out.toString());

        assertEquals(0, outcome.exitCode(), outcome.err());
        Path index = out.resolve("index.html");
        String html = Lab.read(index);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"));

        // every link and image on the page resolves to a file the commands wrote
        Set<String> targets = new LinkedHashSet<>();
        Matcher matcher = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        while (matcher.find()) {
            targets.add(matcher.group(1));
        }
        for (String target : targets) {
            assertTrue(Files.isRegularFile(out.resolve(target)), "broken link " + target);
        }
        // and every figure the commands wrote is on the page
        List<String> pngs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            files.filter(f -> f.toString().endsWith(".png")).forEach(f -> pngs.add(out.relativize(f).toString()));
        }
        assertTrue(pngs.size() >= 7, pngs.toString());
        for (String png : pngs) {
            assertTrue(html.contains("<img src=\"" + png + "\""), png + " is not on the page");
        }
        assertTrue(html.split("<table>", -1).length - 1 >= 4, "a table per command at least");

        JsonNode summary = Lab.json(out.resolve("summary.json"));
        List<String> commands = new ArrayList<>();
        summary.get("sections").forEach(s -> commands.add(s.get("command").asText()));
        assertEquals(List.of("imbalance", "pr", "landscape", "gradients"), commands);
        for (JsonNode section : summary.get("sections")) {
            JsonNode commandSummary = Lab.json(out.resolve(section.get("summary_json").asText()));
            assertEquals(section.get("command").asText(), commandSummary.get("command").asText());
            if (commandSummary.has("seed")) {
                assertEquals(3, commandSummary.get("seed").asLong(), "the report's seed is passed on");
            }
        }
        assertEquals(1, Lab.json(out.resolve("imbalance/summary.json")).get("repeats").asInt(),
                "the (tiny) defaults of the command apply");
    }

    @Test
    void aFailingCommandStopsTheReportWithItsOneLine() {
        Lab.Outcome outcome = Lab.losskit(Lab.defaults(Map.of("imbalance.--epochs", "0")), "report", "--out",
                temp.toString());
        assertTrue(outcome.exitCode() != 0);
        assertEquals(1, outcome.errLines().size(), outcome.err());
        assertTrue(outcome.err().contains("losskit imbalance: --epochs"), outcome.err());
    }
}
