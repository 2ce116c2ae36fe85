package io.github.camelwecom.groupmsg.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;

/** {@code benchmarks.png}: horizontal bars, records/s figures in one panel, wall-time seconds in another. */
final class BenchmarkChart {
    private BenchmarkChart() {
    }

    /** Floors are left out of the seconds: they are computed, not measured. */
    static void chart(Map<String, Map<String, String>> figures, String machine, String date, Path png)
            throws Exception {
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> b : figures.entrySet()) {
            for (Map.Entry<String, String> e : b.getValue().entrySet()) {
                String k = e.getKey();
                Double v = BenchmarkReport.number(e.getValue());
                if (v == null) {
                    continue;
                }
                if (k.endsWith("RecordsPerSecond")) {
                    rates.put(b.getKey() + ": " + k.substring(0, k.length() - "RecordsPerSecond".length()), v);
                } else if (k.endsWith("Seconds") && !k.endsWith("FloorSeconds")) {
                    seconds.put(b.getKey() + ": " + k.substring(0, k.length() - "Seconds".length()), v);
                }
            }
        }
        ImageIO.write(draw(rates, seconds, machine, date), "png", png.toFile());
    }

    private static BufferedImage draw(Map<String, Double> rates, Map<String, Double> seconds, String machine,
            String date) {
        int row = 26;
        int panelGap = 60;
        int height = 90 + (rates.size() + seconds.size()) * row + 2 * panelGap;
        int width = 1000;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("camel-wecom-groupmsg benchmarks — " + date, 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(machine, 20, 48);
        int y = 80;
        y = panel(g, "records / second (higher is better)", rates, y, width, row, new Color(0x3b7dd8), "%,.0f");
        panel(g, "wall time, seconds (lower is better)", seconds, y + panelGap - 20, width, row, new Color(0xd8833b),
                "%.2f s");
        g.dispose();
        return img;
    }

    private static int panel(Graphics2D g, String title, Map<String, Double> bars, int y, int width, int row,
            Color color, String format) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 20, y);
        y += 12;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double max = bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int labelWidth = 330;
        int barMax = width - labelWidth - 140;
        for (Map.Entry<String, Double> e : bars.entrySet()) {
            int w = (int) Math.max(1, e.getValue() / max * barMax);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), 20, y + 16);
            g.setColor(color);
            g.fillRect(labelWidth, y + 4, w, row - 8);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawString(String.format(format, e.getValue()), labelWidth + w + 6, y + 16);
            y += row;
        }
        return y + 20;
    }
}
