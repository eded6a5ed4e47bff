package io.github.losskit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A command's human-readable summary: headings, paragraphs, tables, figures and links to its files, written as
 * Markdown into the command's directory and as HTML into the report, from one description.
 */
final class Doc {

    sealed interface Block permits Heading, Paragraph, Table, Figure, Files {
    }

    record Heading(String text) implements Block {
    }

    /** Plain text; {@code `code`} spans are kept as code in both renderings. */
    record Paragraph(String text) implements Block {
    }

    /** @param numeric per column, whether it is right-aligned */
    record Table(List<String> header, List<List<String>> rows, List<Boolean> numeric) implements Block {
    }

    /** @param file a file name relative to the command's directory */
    record Figure(String file, String caption) implements Block {
    }

    /** Links to the command's machine-readable files. */
    record Files(List<String> files) implements Block {
    }

    /** A number, optionally with "± spread" or a percent sign, or a dash for none. */
    private static final Pattern NUMBER = Pattern.compile(
            "[-+]?[0-9][0-9.]*(e[-+]?[0-9]+)?( ± [0-9][0-9.]*(e[-+]?[0-9]+)?)?%?|-|n/a");

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    Doc(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    Doc heading(String text) {
        blocks.add(new Heading(text));
        return this;
    }

    Doc paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Doc table(List<String> header, List<List<String>> rows) {
        List<Boolean> numeric = new ArrayList<>();
        for (int column = 0; column < header.size(); column++) {
            boolean allNumbers = !rows.isEmpty();
            for (List<String> row : rows) {
                allNumbers &= NUMBER.matcher(row.get(column)).matches();
            }
            numeric.add(allNumbers);
        }
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList(), numeric));
        return this;
    }

    Doc figure(String file, String caption) {
        blocks.add(new Figure(file, caption));
        return this;
    }

    Doc files(String... files) {
        blocks.add(new Files(List.of(files)));
        return this;
    }

    /** Figures and links are relative to the directory the Markdown is written into. */
    String markdown() {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n");
        for (Block block : blocks) {
            out.append("\n");
            if (block instanceof Heading heading) {
                out.append("## ").append(heading.text()).append("\n");
            } else if (block instanceof Paragraph paragraph) {
                out.append(paragraph.text()).append("\n");
            } else if (block instanceof Table table) {
                out.append(markdownRow(table.header()));
                List<String> rule = new ArrayList<>();
                for (boolean numeric : table.numeric()) {
                    rule.add(numeric ? "---:" : "---");
                }
                out.append(markdownRow(rule));
                table.rows().forEach(row -> out.append(markdownRow(row)));
            } else if (block instanceof Figure figure) {
                out.append("![").append(figure.caption()).append("](").append(figure.file()).append(")\n\n")
                        .append(figure.caption()).append("\n");
            } else if (block instanceof Files files) {
                out.append("Files:");
                files.files().forEach(file -> out.append(" [").append(file).append("](").append(file).append(")"));
                out.append("\n");
            }
        }
        return out.toString();
    }

    private static String markdownRow(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(cell -> cell.replace("|", "\\|")).toList()) + " |\n";
    }

    /**
     * An HTML section (no page around it) with figures and links prefixed by {@code directory} (e.g.
     * "imbalance/"), for the report page.
     */
    String htmlSection(String id, String directory) {
        StringBuilder out = new StringBuilder("<section id=\"").append(escape(id)).append("\">\n<h2>")
                .append(escape(title)).append("</h2>\n");
        for (Block block : blocks) {
            if (block instanceof Heading heading) {
                out.append("<h3>").append(escape(heading.text())).append("</h3>\n");
            } else if (block instanceof Paragraph paragraph) {
                out.append("<p>").append(inlineHtml(paragraph.text())).append("</p>\n");
            } else if (block instanceof Table table) {
                out.append("<table>\n<tr>");
                for (int column = 0; column < table.header().size(); column++) {
                    out.append(cell("th", table.header().get(column), table.numeric().get(column)));
                }
                out.append("</tr>\n");
                for (List<String> row : table.rows()) {
                    out.append("<tr>");
                    for (int column = 0; column < row.size(); column++) {
                        out.append(cell("td", row.get(column), table.numeric().get(column)));
                    }
                    out.append("</tr>\n");
                }
                out.append("</table>\n");
            } else if (block instanceof Figure figure) {
                String file = escape(directory + figure.file());
                out.append("<figure><a href=\"").append(file).append("\"><img src=\"").append(file)
                        .append("\" alt=\"").append(escape(figure.caption())).append("\"></a><figcaption>")
                        .append(inlineHtml(figure.caption())).append("</figcaption></figure>\n");
            } else if (block instanceof Files files) {
                out.append("<p class=\"files\">Files:");
                files.files().forEach(file -> out.append(" <a href=\"").append(escape(directory + file))
                        .append("\">").append(escape(file)).append("</a>"));
                out.append("</p>\n");
            }
        }
        return out.append("</section>\n").toString();
    }

    private static String cell(String tag, String text, boolean numeric) {
        return "<" + tag + (numeric ? " class=\"num\"" : "") + ">" + inlineHtml(text) + "</" + tag + ">";
    }

    /** Escapes the text and turns {@code `code`} spans into code elements. */
    static String inlineHtml(String text) {
        String[] parts = text.split("`", -1);
        if (parts.length % 2 == 0) { // an odd number of backticks: no code spans
            return escape(text);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            out.append(i % 2 == 1 ? "<code>" + escape(parts[i]) + "</code>" : escape(parts[i]));
        }
        return out.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
