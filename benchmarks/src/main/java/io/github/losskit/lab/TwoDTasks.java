package io.github.losskit.lab;

import java.util.Random;

/** The embedded 2-D binary tasks of {@code losskit landscape}, drawn from a seed; half the rows in each class. */
enum TwoDTasks {
    /** Two interleaving half circles (scikit-learn's make_moons) with Gaussian noise of sd 0.15. */
    MOONS("two interleaving half circles (as scikit-learn's make_moons), Gaussian noise sd 0.15") {
        @Override
        double[] point(int cls, Random random) {
            double angle = Math.PI * random.nextDouble();
            double x = cls == 0 ? Math.cos(angle) : 1 - Math.cos(angle);
            double y = cls == 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
            return new double[] {x + 0.15 * random.nextGaussian() - 0.5, y + 0.15 * random.nextGaussian() - 0.25};
        }
    },
    /** Two interleaved spiral arms of 1.75 turns, Gaussian noise of sd 0.04. */
    SPIRALS("two interleaved spiral arms of 1.75 turns, Gaussian noise sd 0.04") {
        @Override
        double[] point(int cls, Random random) {
            double t = 0.1 + 0.9 * random.nextDouble();
            double angle = 3.5 * Math.PI * t + cls * Math.PI;
            return new double[] {t * Math.cos(angle) + 0.04 * random.nextGaussian(),
                t * Math.sin(angle) + 0.04 * random.nextGaussian()};
        }
    };

    private final String description;

    TwoDTasks(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    abstract double[] point(int cls, Random random);

    /** {@code rows} points (classes alternate 0, 1, 0, ...), as features [rows][2] and classes. */
    record Points(double[][] features, int[] classes) {
    }

    Points draw(int rows, Random random) {
        double[][] features = new double[rows][];
        int[] classes = new int[rows];
        for (int row = 0; row < rows; row++) {
            classes[row] = row % 2;
            features[row] = point(classes[row], random);
        }
        return new Points(features, classes);
    }
}
