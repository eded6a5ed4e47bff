package io.github.losskit.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A binary classification table for {@code losskit imbalance}: numeric features and a positive (minority) class,
 * from the embedded synthetic set or the user's CSV, with the stratified split and the standardisation the
 * command applies. Plain Java arrays: minibatches are gathered from them far faster than with ND4J gathers.
 */
final class BinaryData {

    /** Fewer rows of either class leave too few for a stratified test split to measure anything. */
    static final int MIN_ROWS_PER_CLASS = 10;

    private final String description;
    private final List<String> featureNames;
    private final double[][] features;
    private final boolean[] positive;
    private final String positiveLabel;
    private final String negativeLabel;

    private BinaryData(String description, List<String> featureNames, double[][] features, boolean[] positive,
            String positiveLabel, String negativeLabel) {
        this.description = description;
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.positive = positive;
        this.positiveLabel = positiveLabel;
        this.negativeLabel = negativeLabel;
    }

    /** The embedded set: {@link ImbalancedBlobs}, drawn from {@code seed}. */
    static BinaryData synthetic(long seed, int rows) {
        ImbalancedBlobs.Split drawn = ImbalancedBlobs.draw(new Random(seed), rows);
        double[][] features = new double[rows][];
        boolean[] positive = new boolean[rows];
        for (int row = 0; row < rows; row++) {
            float[] values = drawn.featuresOf(row);
            features[row] = IntStream.range(0, values.length).mapToDouble(j -> values[j]).toArray();
            positive[row] = drawn.classOf(row) == ImbalancedBlobs.MINORITY;
        }
        List<String> names = IntStream.range(0, ImbalancedBlobs.FEATURES).mapToObj(j -> "x" + j).toList();
        return checked(new BinaryData("embedded synthetic set (seed " + seed + "): " + ImbalancedBlobs.DESCRIPTION,
                names, features, positive, "minority (1)", "majority (0)"), "the synthetic set");
    }

    /**
     * The user's table: every column except {@code labelColumn} and {@code ignored} is a numeric feature; the
     * positive class is {@code positiveValue}, or the less frequent of exactly two label values.
     */
    static BinaryData fromCsv(CsvTable table, String labelColumn, String positiveValue, List<String> ignored) {
        int label = table.column(labelColumn, "--label");
        Set<Integer> skipped = new HashSet<>();
        skipped.add(label);
        for (String column : ignored) {
            int index = table.column(column, "--ignore");
            if (index == label) {
                throw new InputException("--ignore " + column + " is the --label column");
            }
            skipped.add(index);
        }
        List<Integer> featureColumns = IntStream.range(0, table.columns().size()).filter(c -> !skipped.contains(c))
                .boxed().toList();
        if (featureColumns.isEmpty()) {
            throw new InputException(table.name() + " has no feature columns besides the label '" + labelColumn
                    + "'");
        }
        if (table.rows() == 0) {
            throw new InputException(table.name() + " has a header but no rows");
        }
        for (int row = 0; row < table.rows(); row++) {
            if (table.value(row, label).isEmpty()) {
                throw new InputException(String.format(Locale.ROOT, "%s line %d: the label column '%s' is empty",
                        table.name(), table.line(row), labelColumn));
            }
        }
        Labels labels = Labels.choose(table, label, positiveValue, true);
        double[][] features = new double[table.rows()][featureColumns.size()];
        for (int row = 0; row < table.rows(); row++) {
            for (int j = 0; j < featureColumns.size(); j++) {
                try {
                    features[row][j] = table.number(row, featureColumns.get(j));
                } catch (InputException e) {
                    throw new InputException(e.getMessage() + "; features must be numeric (leave a column out with"
                            + " --ignore " + table.columns().get(featureColumns.get(j)) + ")");
                }
            }
        }
        List<String> names = featureColumns.stream().map(c -> table.columns().get(c)).toList();
        String description = String.format(Locale.ROOT, "%s: %d rows, %d numeric features, label '%s' (positive"
                + " class %s)", table.name(), table.rows(), names.size(), labelColumn, labels.positiveName());
        return checked(new BinaryData(description, names, features, labels.positive(), labels.positiveName(),
                labels.negativeName()), table.name());
    }

    private static BinaryData checked(BinaryData data, String source) {
        int positives = data.positives();
        int negatives = data.rows() - positives;
        if (Math.min(positives, negatives) < MIN_ROWS_PER_CLASS) {
            throw new InputException(String.format(Locale.ROOT, "too few rows of the %s class in %s: %d (positive"
                    + " %s) and %d (negative %s); imbalance needs at least %d of each for a stratified train/test"
                    + " split", positives < negatives ? "positive" : "negative", source, positives,
                    data.positiveLabel, negatives, data.negativeLabel, MIN_ROWS_PER_CLASS));
        }
        return data;
    }

    String description() {
        return description;
    }

    List<String> featureNames() {
        return featureNames;
    }

    int rows() {
        return positive.length;
    }

    int features() {
        return featureNames.size();
    }

    boolean isPositive(int row) {
        return positive[row];
    }

    int positives() {
        int count = 0;
        for (boolean p : positive) {
            count += p ? 1 : 0;
        }
        return count;
    }

    String positiveLabel() {
        return positiveLabel;
    }

    String negativeLabel() {
        return negativeLabel;
    }

    /** Row indices of a train/test split. */
    record Split(int[] train, int[] test) {
    }

    /**
     * A stratified split: each class contributes round(testFraction x its rows) rows (at least one, and one
     * fewer than all) to the test split, chosen at random; both splits are in random order.
     */
    Split stratifiedSplit(double testFraction, Random random) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (boolean cls : new boolean[] {true, false}) {
            int[] rows = IntStream.range(0, rows()).filter(r -> positive[r] == cls).toArray();
            ImbalancedBlobs.shuffle(rows, random);
            int testRows = (int) Math.max(1, Math.min(rows.length - 1, Math.round(testFraction * rows.length)));
            for (int i = 0; i < rows.length; i++) {
                (i < testRows ? test : train).add(rows[i]);
            }
        }
        return new Split(ImbalancedBlobs.shuffle(train.stream().mapToInt(Integer::intValue).toArray(), random),
                ImbalancedBlobs.shuffle(test.stream().mapToInt(Integer::intValue).toArray(), random));
    }

    int positivesAmong(int[] rows) {
        int count = 0;
        for (int row : rows) {
            count += positive[row] ? 1 : 0;
        }
        return count;
    }

    /** Per-feature mean and standard deviation (population, as scikit-learn's StandardScaler) of some rows. */
    record Standardiser(double[] mean, double[] std) {

        float[] apply(double[] row) {
            float[] out = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                out[j] = (float) ((row[j] - mean[j]) / std[j]);
            }
            return out;
        }
    }

    /** Fitted on {@code rows} only (the training split), so that nothing of the test split leaks into training. */
    Standardiser standardiser(int[] rows) {
        int d = features();
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += features[row][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        for (int row : rows) {
            for (int j = 0; j < d; j++) {
                double centred = features[row][j] - mean[j];
                std[j] += centred * centred;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / rows.length);
            if (!(std[j] > 0)) {
                std[j] = 1.0; // a constant column becomes zeros, as in scikit-learn
            }
        }
        return new Standardiser(mean, std);
    }

    /** Standardised features and 0/1 labels of some rows, ready to train on. */
    static final class Prepared {
        private final float[][] features;
        private final boolean[] positive;

        Prepared(float[][] features, boolean[] positive) {
            this.features = features;
            this.positive = positive;
        }

        int rows() {
            return positive.length;
        }

        boolean[] positive() {
            return positive.clone();
        }

        int positives() {
            int count = 0;
            for (boolean p : positive) {
                count += p ? 1 : 0;
            }
            return count;
        }

        DataSet all() {
            return rows(IntStream.range(0, rows()).toArray());
        }

        /** The given rows in the given order; labels [n, 1]. */
        DataSet rows(int[] selected) {
            float[][] x = new float[selected.length][];
            float[][] y = new float[selected.length][1];
            for (int i = 0; i < selected.length; i++) {
                x[i] = features[selected[i]];
                y[i][0] = positive[selected[i]] ? 1f : 0f;
            }
            return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
        }
    }

    Prepared prepare(int[] rows, Standardiser standardiser) {
        float[][] x = new float[rows.length][];
        boolean[] y = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            x[i] = standardiser.apply(features[rows[i]]);
            y[i] = positive[rows[i]];
        }
        return new Prepared(x, y);
    }

    /** Which label value is positive, and the 0/1 labels that follow. */
    record Labels(boolean[] positive, String positiveName, String negativeName) {

        /**
         * @param minorityByDefault without {@code positiveValue}: true takes the less frequent of two values
         *                          (imbalance); false follows scikit-learn, where labels {0, 1} or {-1, 1} have
         *                          positive 1 and other labels need the positive named (pr)
         */
        static Labels choose(CsvTable table, int column, String positiveValue, boolean minorityByDefault) {
            Map<String, Integer> counts = table.counts(column);
            String columnName = table.columns().get(column);
            List<String> values = new ArrayList<>(counts.keySet());
            String positive;
            if (positiveValue != null) {
                positive = values.stream().filter(v -> sameValue(v, positiveValue)).findFirst()
                        .orElseThrow(() -> new InputException(String.format(Locale.ROOT,
                                "--positive %s: column '%s' of %s has no such value (values: %s)", positiveValue,
                                columnName, table.name(), CsvTable.abbreviate(values))));
            } else if (values.size() < 2) {
                throw new InputException(oneClass(table, columnName, values));
            } else if (values.size() > 2) {
                throw new InputException(String.format(Locale.ROOT, "column '%s' of %s has %d label values (%s);"
                        + " pass --positive VALUE to choose the positive class (the others become negative)",
                        columnName, table.name(), values.size(), CsvTable.abbreviate(values)));
            } else if (minorityByDefault) {
                int first = counts.get(values.get(0));
                int second = counts.get(values.get(1));
                if (first == second) {
                    throw new InputException(String.format(Locale.ROOT, "column '%s' of %s has %d rows of both"
                            + " '%s' and '%s'; pass --positive VALUE to choose the positive class", columnName,
                            table.name(), first, values.get(0), values.get(1)));
                }
                positive = first < second ? values.get(0) : values.get(1);
            } else {
                positive = values.stream().filter(v -> sameValue(v, "1") || v.equalsIgnoreCase("true")).findFirst()
                        .filter(v -> values.stream().allMatch(o -> sameValue(o, "0") || sameValue(o, "-1")
                                || sameValue(o, "1") || o.equalsIgnoreCase("true") || o.equalsIgnoreCase("false")))
                        .orElseThrow(() -> new InputException(String.format(Locale.ROOT, "column '%s' of %s has"
                                + " labels %s, not 0/1 or -1/1; pass --positive VALUE to choose the positive class",
                                columnName, table.name(), CsvTable.abbreviate(values))));
            }
            boolean[] isPositive = new boolean[table.rows()];
            int positives = 0;
            for (int row = 0; row < table.rows(); row++) {
                isPositive[row] = table.value(row, column).equals(positive);
                positives += isPositive[row] ? 1 : 0;
            }
            if (positives == table.rows()) {
                throw new InputException(oneClass(table, columnName, values));
            }
            List<String> negatives = values.stream().filter(v -> !v.equals(positive)).toList();
            String negativeName = negatives.size() == 1 ? "'" + negatives.get(0) + "'" : "not '" + positive + "'";
            return new Labels(isPositive, "'" + positive + "'", negativeName);
        }

        private static String oneClass(CsvTable table, String columnName, List<String> values) {
            return String.format(Locale.ROOT, "column '%s' of %s has one class only (%s in all %d rows); both classes"
                    + " are needed", columnName, table.name(), values.isEmpty() ? "no value" : "'" + values.get(0)
                    + "'", table.rows());
        }

        /** Equal as text, or as numbers ("1" and "1.0"). */
        static boolean sameValue(String value, String wanted) {
            if (value.equals(wanted)) {
                return true;
            }
            try {
                return Double.parseDouble(value) == Double.parseDouble(wanted);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
