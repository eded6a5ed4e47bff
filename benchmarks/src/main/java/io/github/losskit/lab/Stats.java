package io.github.losskit.lab;

import java.math.BigDecimal;
import java.util.Locale;

/** Small numeric helpers of the lab's summaries. */
final class Stats {

    private Stats() {
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The sample standard deviation (n - 1); 0 for a single value. */
    static double sampleStd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double sum = 0;
        for (double value : values) {
            sum += (value - mean) * (value - mean);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** A parameter as written on the command line: 2 rather than 2.0, 0.25 as 0.25. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String meanStd(double mean, double std, int decimals) {
        return fixed(mean, decimals) + " ± " + fixed(std, decimals);
    }
}
