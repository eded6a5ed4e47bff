package io.github.losskit.lab;

import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossMargin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The loss landscape of {@code losskit landscape}: trains a small network on a 2-D task and evaluates the
 * training loss (i) along the straight line from the initial to the final weights (Goodfellow et al. 2015) and
 * (ii) over a random plane through the final weights spanned by two directions with filter-wise normalisation
 * (Li et al. 2018): each neuron's incoming weights get the norm of that neuron's trained weights, and biases do
 * not move (Li et al.'s ignore='biasbn').
 */
final class Landscape {

    static final int HIDDEN = 16;
    static final int MINIBATCH = 100;
    static final double LEARNING_RATE = 0.03;
    /** The line runs over t in [-LINE_MARGIN, 1 + LINE_MARGIN] in steps of 1 / LINE_STEPS_PER_UNIT. */
    static final int LINE_STEPS_PER_UNIT = 40;
    static final int LINE_MARGIN_STEPS = 10;

    /** The losses --loss offers: each fixes the output layer and how labels are encoded. */
    enum LossChoice {
        BCE("bce", "sigmoid", "0/1") {
            @Override
            ILossFunction loss(double gamma) {
                return new LossBinaryCrossEntropy();
            }
        },
        FOCAL("focal", "sigmoid", "0/1") {
            @Override
            ILossFunction loss(double gamma) {
                return LossFocal.builder().gamma(gamma).noAlpha().build();
            }
        },
        CROSS_ENTROPY("cross-entropy", "softmax", "one-hot") {
            @Override
            ILossFunction loss(double gamma) {
                return new LossCrossEntropy();
            }
        },
        HINGE("hinge", "identity", "0/1 (MarginLabels.ZERO_ONE)") {
            @Override
            ILossFunction loss(double gamma) {
                return margin(MarginFunction.HINGE);
            }
        },
        SQUARED_HINGE("squared-hinge", "identity", "0/1 (MarginLabels.ZERO_ONE)") {
            @Override
            ILossFunction loss(double gamma) {
                return margin(MarginFunction.SQUARED_HINGE);
            }
        },
        LOGISTIC("logistic", "identity", "0/1 (MarginLabels.ZERO_ONE)") {
            @Override
            ILossFunction loss(double gamma) {
                return margin(MarginFunction.LOGISTIC);
            }
        },
        EXPONENTIAL("exponential", "identity", "0/1 (MarginLabels.ZERO_ONE)") {
            @Override
            ILossFunction loss(double gamma) {
                return margin(MarginFunction.EXPONENTIAL);
            }
        };

        final String id;
        final String activation;
        final String labels;

        LossChoice(String id, String activation, String labels) {
            this.id = id;
            this.activation = activation;
            this.labels = labels;
        }

        abstract ILossFunction loss(double gamma);

        private static ILossFunction margin(MarginFunction function) {
            return LossMargin.builder().function(function).labels(MarginLabels.ZERO_ONE).build();
        }

        int outputs() {
            return this == CROSS_ENTROPY ? 2 : 1;
        }

        Activation outputActivation() {
            return switch (activation) {
                case "sigmoid" -> Activation.SIGMOID;
                case "softmax" -> Activation.SOFTMAX;
                default -> Activation.IDENTITY;
            };
        }

        static LossChoice of(String id) {
            for (LossChoice choice : values()) {
                if (choice.id.equalsIgnoreCase(id)) {
                    return choice;
                }
            }
            return null;
        }

        static String ids() {
            return String.join(", ", Arrays.stream(values()).map(c -> c.id).toList());
        }
    }

    /** @param threads losses mapped at once; the results do not depend on it */
    record Settings(long seed, TwoDTasks task, List<LossChoice> losses, double gamma, int rows, int epochs,
            int grid, double span, int threads) {
    }

    record Line(double[] t, double[] loss) {
    }

    /** loss[j][i] is the loss at (alpha[i], beta[j]). */
    record Plane(double[] alpha, double[] beta, double[][] loss, double centerLoss, double minLoss, double[] minAt,
            double maxLoss) {
    }

    record LossLandscape(String id, String loss, Map<String, Object> parameters, String outputActivation,
            String labels, double initialLoss, double finalLoss, double finalAccuracy, boolean lineDecreasesFrom0To1,
            Line line, Plane plane) {
    }

    record Summary(String command, long seed, String task, String taskDescription, int rows, String network,
            String training, String directions, List<LossLandscape> losses) {
    }

    private Landscape() {
    }

    static Summary run(Settings settings) {
        return ThreadLimit.singleThreaded(() -> runSingleThreaded(settings));
    }

    static TwoDTasks.Points points(Settings settings) {
        return settings.task().draw(settings.rows(), new Random(settings.seed()));
    }

    private static Summary runSingleThreaded(Settings settings) {
        TwoDTasks.Points points = points(settings);
        int evaluations = LINE_STEPS_PER_UNIT + 2 * LINE_MARGIN_STEPS + 1 + settings.grid() * settings.grid();
        int stepsPerLoss = settings.epochs() + evaluations;
        List<LossLandscape> results;
        try (Progress progress = Progress.start("landscape", (long) stepsPerLoss * settings.losses().size())) {
            List<Callable<LossLandscape>> runs = new ArrayList<>();
            for (LossChoice choice : settings.losses()) {
                runs.add(() -> {
                    progress.message(choice.id);
                    return landscape(settings, choice, points, progress);
                });
            }
            results = Workers.run(settings.threads(), runs);
        }
        return new Summary("landscape", settings.seed(), settings.task().name().toLowerCase(Locale.ROOT),
                settings.task().description(), settings.rows(), "2-" + HIDDEN + "-" + HIDDEN + "-k MLP (tanh, tanh,"
                        + " output per loss), Xavier init, double precision",
                String.format(Locale.ROOT, "Adam %s, minibatch %d, %d epochs, same seed for every loss",
                        Stats.number(LEARNING_RATE), MINIBATCH, settings.epochs()),
                "two Gaussian directions (java.util.Random seeded with the seed), filter-wise normalised: each"
                        + " neuron's incoming weights scaled to the norm of its trained weights; biases fixed",
                results);
    }

    private static LossLandscape landscape(Settings settings, LossChoice choice, TwoDTasks.Points points,
            Progress progress) {
        ILossFunction loss = choice.loss(settings.gamma());
        DataSet data = dataSet(points, choice);
        MultiLayerNetwork net = network(settings.seed(), choice, loss);
        INDArray initial = net.params().dup();
        double initialLoss = net.score(data, false);
        Random batchRandom = new Random(settings.seed() + 1);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = ImbalancedBlobs.shuffle(IntStream.range(0, points.classes().length).toArray(), batchRandom);
            for (int from = 0; from < order.length; from += MINIBATCH) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + MINIBATCH));
                net.fit(new DataSet(data.getFeatures().getRows(rows), data.getLabels().getRows(rows)));
            }
            progress.step();
        }
        INDArray trained = net.params().dup();
        double finalLoss = net.score(data, false);
        double accuracy = accuracy(net, data, choice);

        int lineSteps = LINE_STEPS_PER_UNIT + 2 * LINE_MARGIN_STEPS + 1;
        double[] t = new double[lineSteps];
        double[] lineLoss = new double[lineSteps];
        INDArray change = trained.sub(initial);
        for (int k = 0; k < lineSteps; k++) {
            t[k] = (k - LINE_MARGIN_STEPS) / (double) LINE_STEPS_PER_UNIT;
            net.setParams(initial.add(change.mul(t[k])));
            lineLoss[k] = net.score(data, false);
            progress.step();
        }
        boolean decreasing = true;
        for (int k = LINE_MARGIN_STEPS; k < LINE_MARGIN_STEPS + LINE_STEPS_PER_UNIT; k++) {
            decreasing &= lineLoss[k + 1] <= lineLoss[k];
        }

        net.setParams(trained);
        Random directionRandom = new Random(settings.seed() ^ 0x5DEECE66DL);
        INDArray first = direction(net, directionRandom);
        INDArray second = direction(net, directionRandom);
        int grid = settings.grid();
        int half = grid / 2;
        double[] coordinates = new double[grid];
        for (int i = 0; i < grid; i++) {
            coordinates[i] = settings.span() * (i - half) / half;
        }
        double[][] planeLoss = new double[grid][grid];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] minAt = null;
        for (int j = 0; j < grid; j++) {
            for (int i = 0; i < grid; i++) {
                net.setParams(trained.add(first.mul(coordinates[i])).addi(second.mul(coordinates[j])));
                double value = net.score(data, false);
                planeLoss[j][i] = value;
                if (value < min) {
                    min = value;
                    minAt = new double[] {coordinates[i], coordinates[j]};
                }
                max = Math.max(max, value);
                progress.step();
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (choice == LossChoice.FOCAL) {
            parameters.put("gamma", settings.gamma());
            parameters.put("alpha", null);
        }
        if (loss instanceof LossMargin margin) {
            parameters.put("function", margin.getFunction().name());
            parameters.put("labels", margin.getLabels().name());
        }
        return new LossLandscape(choice.id, loss.getClass().getSimpleName(), parameters, choice.activation,
                choice.labels, initialLoss, finalLoss, accuracy, decreasing, new Line(t, lineLoss),
                new Plane(coordinates, coordinates.clone(), planeLoss, planeLoss[half][half], min, minAt, max));
    }

    /**
     * A random Gaussian direction in parameter space, filter-wise normalised against the network's current
     * weights: column j of each weight matrix [nIn, nOut] (the incoming weights of neuron j) gets the norm of
     * the same column of the weights; bias directions are zero.
     */
    static INDArray direction(MultiLayerNetwork net, Random random) {
        MultiLayerNetwork probe = net.clone();
        for (Map.Entry<String, INDArray> entry : net.paramTable().entrySet()) {
            INDArray weights = entry.getValue();
            if (!entry.getKey().endsWith("_W")) {
                probe.setParam(entry.getKey(), Nd4j.zeros(weights.dataType(), weights.shape()));
                continue;
            }
            double[][] w = weights.toDoubleMatrix();
            double[][] d = new double[w.length][w[0].length];
            for (double[] row : d) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = random.nextGaussian();
                }
            }
            for (int j = 0; j < w[0].length; j++) {
                double weightNorm = 0;
                double directionNorm = 0;
                for (int i = 0; i < w.length; i++) {
                    weightNorm += w[i][j] * w[i][j];
                    directionNorm += d[i][j] * d[i][j];
                }
                double scale = Math.sqrt(weightNorm) / Math.sqrt(directionNorm);
                for (int i = 0; i < w.length; i++) {
                    d[i][j] *= scale;
                }
            }
            probe.setParam(entry.getKey(), Nd4j.createFromArray(d).castTo(weights.dataType()));
        }
        return probe.params().dup();
    }

    static MultiLayerNetwork network(long seed, LossChoice choice, ILossFunction loss) {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(choice.outputActivation())
                        .nIn(HIDDEN).nOut(choice.outputs()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        return net;
    }

    static DataSet dataSet(TwoDTasks.Points points, LossChoice choice) {
        int rows = points.classes().length;
        double[][] labels = new double[rows][choice.outputs()];
        for (int row = 0; row < rows; row++) {
            if (choice.outputs() == 2) {
                labels[row][points.classes()[row]] = 1;
            } else {
                labels[row][0] = points.classes()[row];
            }
        }
        return new DataSet(Nd4j.createFromArray(points.features()), Nd4j.createFromArray(labels));
    }

    private static double accuracy(MultiLayerNetwork net, DataSet data, LossChoice choice) {
        double[][] output = net.output(data.getFeatures(), false).toDoubleMatrix();
        double[][] labels = data.getLabels().toDoubleMatrix();
        int correct = 0;
        for (int row = 0; row < output.length; row++) {
            int predicted;
            int actual;
            if (choice.outputs() == 2) {
                predicted = output[row][1] > output[row][0] ? 1 : 0;
                actual = labels[row][1] > 0.5 ? 1 : 0;
            } else {
                double threshold = choice.activation.equals("identity") ? 0.0 : 0.5;
                predicted = output[row][0] >= threshold ? 1 : 0;
                actual = labels[row][0] > 0.5 ? 1 : 0;
            }
            correct += predicted == actual ? 1 : 0;
        }
        return correct / (double) output.length;
    }
}
