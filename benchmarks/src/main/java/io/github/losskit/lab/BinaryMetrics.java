package io.github.losskit.lab;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Ranking metrics of binary scores with scikit-learn's definitions (checked against scikit-learn 1.2 in the
 * tests, ties included): {@code precision_recall_curve}, {@code average_precision_score} and {@code
 * roc_auc_score}. Plain loops: these are evaluation, not loss code.
 */
final class BinaryMetrics {

    private BinaryMetrics() {
    }

    /**
     * scikit-learn's {@code precision_recall_curve}: one point per distinct score, ordered by increasing
     * threshold (so decreasing recall), then the point (recall 0, precision 1) that has no threshold.
     * {@code precision[i]} and {@code recall[i]} are those of predicting positive when score >= thresholds[i].
     */
    record PrCurve(double[] precision, double[] recall, double[] thresholds) {

        /** Points with a threshold (all but the last). */
        int thresholdPoints() {
            return thresholds.length;
        }
    }

    /** Cumulative counts at each distinct score, from the highest score down (scikit-learn's _binary_clf_curve). */
    private record Counts(double[] truePositives, double[] falsePositives, double[] thresholds) {
    }

    private static Counts counts(double[] scores, boolean[] positive) {
        check(scores, positive);
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int distinct = 0;
        double[] tps = new double[scores.length];
        double[] fps = new double[scores.length];
        double[] thresholds = new double[scores.length];
        int truePositives = 0;
        for (int rank = 0; rank < order.length; rank++) {
            if (positive[order[rank]]) {
                truePositives++;
            }
            // the last row of a run of equal scores closes one point of the curve
            if (rank == order.length - 1 || scores[order[rank + 1]] != scores[order[rank]]) {
                tps[distinct] = truePositives;
                fps[distinct] = rank + 1 - truePositives;
                thresholds[distinct] = scores[order[rank]];
                distinct++;
            }
        }
        return new Counts(Arrays.copyOf(tps, distinct), Arrays.copyOf(fps, distinct),
                Arrays.copyOf(thresholds, distinct));
    }

    static PrCurve precisionRecallCurve(double[] scores, boolean[] positive) {
        Counts counts = counts(scores, positive);
        int points = counts.thresholds().length;
        double allPositives = counts.truePositives()[points - 1];
        double[] precision = new double[points + 1];
        double[] recall = new double[points + 1];
        double[] thresholds = new double[points];
        for (int i = 0; i < points; i++) {
            int reversed = points - 1 - i;
            double predictedPositive = counts.truePositives()[reversed] + counts.falsePositives()[reversed];
            precision[i] = counts.truePositives()[reversed] / predictedPositive;
            recall[i] = counts.truePositives()[reversed] / allPositives;
            thresholds[i] = counts.thresholds()[reversed];
        }
        precision[points] = 1.0;
        recall[points] = 0.0;
        return new PrCurve(precision, recall, thresholds);
    }

    /**
     * scikit-learn's {@code average_precision_score}: the un-interpolated step sum
     * sum_i (R_i - R_{i+1}) P_i over the curve's points, from the curve alone.
     */
    static double averagePrecision(PrCurve curve) {
        double sum = 0;
        for (int i = 0; i < curve.precision().length - 1; i++) {
            sum += (curve.recall()[i] - curve.recall()[i + 1]) * curve.precision()[i];
        }
        return sum;
    }

    static double averagePrecision(double[] scores, boolean[] positive) {
        return averagePrecision(precisionRecallCurve(scores, positive));
    }

    /**
     * The ROC curve through (0, 0) and one point per distinct score, from the highest score down: scikit-learn's
     * {@code roc_curve} with {@code drop_intermediate=False}, whose first threshold (+inf) is left out.
     */
    record RocCurve(double[] fpr, double[] tpr) {
    }

    static RocCurve rocCurve(double[] scores, boolean[] positive) {
        Counts counts = counts(scores, positive);
        int points = counts.thresholds().length;
        double allPositives = counts.truePositives()[points - 1];
        double allNegatives = counts.falsePositives()[points - 1];
        double[] fpr = new double[points + 1];
        double[] tpr = new double[points + 1];
        for (int i = 0; i < points; i++) {
            fpr[i + 1] = counts.falsePositives()[i] / allNegatives;
            tpr[i + 1] = counts.truePositives()[i] / allPositives;
        }
        return new RocCurve(fpr, tpr);
    }

    /**
     * scikit-learn's {@code roc_auc_score}: the trapezoidal area under the ROC curve, so that a tie between a
     * positive and a negative counts one half.
     */
    static double rocAuc(double[] scores, boolean[] positive) {
        return rocAuc(rocCurve(scores, positive));
    }

    static double rocAuc(RocCurve curve) {
        double area = 0;
        for (int i = 1; i < curve.fpr().length; i++) {
            area += (curve.fpr()[i] - curve.fpr()[i - 1]) * (curve.tpr()[i] + curve.tpr()[i - 1]) / 2;
        }
        return area;
    }

    /** The highest F1 of the curve's points with a threshold, and that threshold. */
    record BestF1(double f1, double threshold, double precision, double recall) {
    }

    static BestF1 bestF1(PrCurve curve) {
        BestF1 best = new BestF1(0, Double.NaN, Double.NaN, Double.NaN);
        for (int i = 0; i < curve.thresholdPoints(); i++) {
            double p = curve.precision()[i];
            double r = curve.recall()[i];
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            if (f1 > best.f1() || Double.isNaN(best.threshold())) {
                best = new BestF1(f1, curve.thresholds()[i], p, r);
            }
        }
        return best;
    }

    /** Recall and precision of predicting positive when score >= threshold; precision 0 when none is. */
    record AtThreshold(double threshold, double precision, double recall) {
    }

    static AtThreshold atThreshold(double[] scores, boolean[] positive, double threshold) {
        check(scores, positive);
        int truePositives = 0;
        int predicted = 0;
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predictedPositive = scores[i] >= threshold;
            predicted += predictedPositive ? 1 : 0;
            positives += positive[i] ? 1 : 0;
            truePositives += predictedPositive && positive[i] ? 1 : 0;
        }
        return new AtThreshold(threshold, predicted == 0 ? 0 : truePositives / (double) predicted,
                truePositives / (double) positives);
    }

    private static void check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        boolean anyPositive = false;
        boolean anyNegative = false;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + scores[i] + " at row " + i + " is not finite");
            }
            anyPositive |= positive[i];
            anyNegative |= !positive[i];
        }
        if (!anyPositive || !anyNegative) {
            throw new IllegalArgumentException("the metrics need both classes, got only "
                    + (anyPositive ? "positives" : "negatives"));
        }
    }
}
