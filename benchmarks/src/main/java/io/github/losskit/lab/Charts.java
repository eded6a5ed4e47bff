package io.github.losskit.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** XChart defaults of the lab's figures and PNG output. */
final class Charts {

    static {
        // no display is needed to draw into an image; set before AWT loads
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 900;
    static final int HEIGHT = 600;

    /** Colour-blind-safe (Okabe and Ito), then darker shades for more series. */
    private static final Color[] PALETTE = {
        new Color(0x000000), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73), new Color(0xD55E00),
        new Color(0x0072B2), new Color(0xCC79A7), new Color(0xF0E442), new Color(0x7F7F7F), new Color(0x8C564B),
        new Color(0x17BECF), new Color(0x9467BD)
    };

    static final BasicStroke SOLID = new BasicStroke(2.0f);
    static final BasicStroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {8f, 5f}, 0f);

    private Charts() {
    }

    static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** A line chart with the lab's style: white, no markers, legend inside the plot. */
    static XYChart lines(String title, String xTitle, String yTitle) {
        return lines(title, xTitle, yTitle, WIDTH, HEIGHT);
    }

    static XYChart lines(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
    }

    /** Adds a line without markers. */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(stroke);
        return series;
    }

    /**
     * XChart puts the x ticks at the data's own values when every series is equally spaced (giving ticks such as
     * -2.62, -2.24, ...); an invisible series with uneven spacing makes it choose round numbers instead.
     */
    static void roundXTicks(XYChart chart, double xMin, double xMax, double y) {
        XYSeries series = chart.addSeries(" ", new double[] {xMin, xMin + (xMax - xMin) / Math.PI, xMax},
                new double[] {y, y, y});
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(new Color(0, 0, 0, 0));
        series.setShowInLegend(false);
    }

    static Path save(Chart<?, ?> chart, Path file) {
        return write(BitmapEncoder.getBufferedImage(chart), file);
    }

    /** The charts side by side in one PNG. */
    static Path saveSideBySide(List<? extends Chart<?, ?>> charts, Path file) {
        int width = 0;
        int height = 0;
        for (Chart<?, ?> chart : charts) {
            width += chart.getWidth();
            height = Math.max(height, chart.getHeight());
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        int x = 0;
        for (Chart<?, ?> chart : charts) {
            graphics.drawImage(BitmapEncoder.getBufferedImage(chart), x, 0, null);
            x += chart.getWidth();
        }
        graphics.dispose();
        return write(image, file);
    }

    private static Path write(BufferedImage image, Path file) {
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + LabFiles.reason(e), e);
        }
    }
}
