package io.github.losskit.lab;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
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
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The focal-tuning study of {@code losskit imbalance}: one small MLP with a sigmoid output trained with binary
 * cross-entropy, with weighted binary cross-entropy (posWeight = negatives / positives of the training split)
 * and with focal loss for every (gamma, alpha), then ranked on the test split. Within a repeat every
 * configuration shares the split, the initial weights and the minibatch order, so the loss is the only
 * difference; repeats draw a new split, new initial weights and a new order.
 */
final class Imbalance {

    static final int HIDDEN = 16;
    static final int MINIBATCH = 128;
    static final double LEARNING_RATE = 0.01;
    /** Minority recall and precision are those of the default decision: probability >= 0.5. */
    static final double DECISION_THRESHOLD = 0.5;

    /** @param threads training runs at once; the results do not depend on it */
    record Settings(long seed, int repeats, int epochs, double testFraction, double[] gammas, double[] alphas,
            int threads) {
    }

    /** One loss with its parameters; {@code id} names it in files (CSV columns), {@code label} in figures. */
    record Configuration(String id, String label, String loss, Map<String, Object> parameters,
            DoubleFunction<ILossFunction> lossForPosWeight) {
    }

    /** The metrics of one configuration on the test split of one repeat. */
    record RepeatResult(double averagePrecision, double rocAuc, double bestF1, double bestF1Threshold,
            double minorityRecall, double minorityPrecision, BinaryMetrics.PrCurve curve, double[] scores) {
    }

    record Statistic(double mean, double std, double[] values) {
        static Statistic of(double[] values) {
            return new Statistic(Stats.mean(values), Stats.sampleStd(values), values.clone());
        }
    }

    record Metrics(Statistic averagePrecision, Statistic rocAuc, Statistic bestF1, Statistic minorityRecall,
            Statistic minorityPrecision) {
    }

    record ConfigurationSummary(String id, String label, String loss, Map<String, Object> parameters,
            Metrics metrics) {
    }

    record SplitInfo(int rows, int positives) {
    }

    record DatasetInfo(String source, String description, int rows, int positives, int features,
            List<String> featureNames, String positiveClass, String negativeClass, double testFraction,
            SplitInfo train, SplitInfo test, String preprocessing) {
    }

    record NetworkInfo(String layers, String updater, double learningRate, int minibatch, int epochs,
            String dataType) {
    }

    record Summary(String command, long seed, int repeats, List<Long> repeatSeeds, DatasetInfo dataset,
            NetworkInfo network, Map<String, String> metricDefinitions, List<ConfigurationSummary> configurations) {
    }

    /** Everything the command writes: the summary and, per configuration and repeat, curves and scores. */
    record Result(Summary summary, List<Configuration> configurations, List<List<RepeatResult>> perConfiguration,
            List<boolean[]> testLabels) {
    }

    static final Map<String, String> METRIC_DEFINITIONS = definitions();

    private static Map<String, String> definitions() {
        Map<String, String> definitions = new LinkedHashMap<>();
        definitions.put("average_precision", "scikit-learn's average_precision_score of the positive-class"
                + " probability on the test split: sum over the PR curve's points of (R_i - R_{i+1}) P_i");
        definitions.put("roc_auc", "scikit-learn's roc_auc_score (ties count one half)");
        definitions.put("best_f1", "the highest F1 over all thresholds of the PR curve");
        definitions.put("minority_recall", "recall of the positive (minority) class when predicting positive at"
                + " probability >= 0.5");
        definitions.put("minority_precision", "precision of the positive class at probability >= 0.5 (0 when"
                + " nothing is predicted positive)");
        definitions.put("mean_std", "mean and sample standard deviation (n - 1; 0 with one repeat) over the"
                + " repeats; values lists each repeat");
        return java.util.Collections.unmodifiableMap(definitions);
    }

    private Imbalance() {
    }

    static NetworkInfo network(Settings settings) {
        return new NetworkInfo("features-" + HIDDEN + "-" + HIDDEN + "-1 MLP (ReLU, ReLU, sigmoid), Xavier init",
                "Adam", LEARNING_RATE, MINIBATCH, settings.epochs(), "float");
    }

    /** BCE, weighted BCE, then focal for every alpha and gamma; validates the focal parameters. */
    static List<Configuration> configurations(Settings settings) {
        List<Configuration> configurations = new ArrayList<>();
        Map<String, Object> bce = new LinkedHashMap<>();
        bce.put("posWeight", null);
        configurations.add(new Configuration("bce", "BCE", "LossBinaryCrossEntropy", bce,
                posWeight -> new LossBinaryCrossEntropy()));
        configurations.add(new Configuration("weighted_bce", "weighted BCE", "LossBinaryCrossEntropy",
                new LinkedHashMap<>(), posWeight -> LossBinaryCrossEntropy.builder().posWeight(posWeight).build()));
        for (double alpha : settings.alphas()) {
            for (double gamma : settings.gammas()) {
                LossFocal focal = LossFocal.builder().gamma(gamma).alpha(alpha).build();
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("gamma", gamma);
                parameters.put("alpha", alpha < 0 ? null : alpha);
                String alphaText = alpha < 0 ? "none" : Stats.number(alpha);
                configurations.add(new Configuration("focal_g" + Stats.number(gamma) + "_a" + alphaText,
                        "focal γ=" + Stats.number(gamma) + " α=" + alphaText, "LossFocal", parameters,
                        posWeight -> focal));
            }
        }
        return configurations;
    }

    static Result run(Settings settings, BinaryData data, String source) {
        return ThreadLimit.singleThreaded(() -> runSingleThreaded(settings, data, source));
    }

    /** One repeat's data, prepared once and shared (read-only) by its configurations' runs. */
    private record RepeatData(long seed, BinaryData.Prepared train, BinaryData.Prepared test, double posWeight,
            INDArray initialWeights) {
    }

    private static Result runSingleThreaded(Settings settings, BinaryData data, String source) {
        List<Configuration> configurations = configurations(settings);
        long[] repeatSeeds = new Random(settings.seed()).longs(settings.repeats()).toArray();
        List<RepeatData> repeats = new ArrayList<>();
        for (long repeatSeed : repeatSeeds) {
            BinaryData.Split split = data.stratifiedSplit(settings.testFraction(), new Random(repeatSeed));
            BinaryData.Standardiser standardiser = data.standardiser(split.train());
            BinaryData.Prepared trainRows = data.prepare(split.train(), standardiser);
            BinaryData.Prepared testRows = data.prepare(split.test(), standardiser);
            // PyTorch's recipe for pos_weight: negatives / positives of the data trained on
            double posWeight = (trainRows.rows() - trainRows.positives()) / (double) trainRows.positives();
            // every configuration of the repeat starts from these weights
            INDArray initialWeights = network(data.features(), repeatSeed, new LossBinaryCrossEntropy()).params()
                    .dup();
            repeats.add(new RepeatData(repeatSeed, trainRows, testRows, posWeight, initialWeights));
        }
        List<Callable<RepeatResult>> runs = new ArrayList<>();
        List<List<RepeatResult>> results = new ArrayList<>();
        try (Progress progress = Progress.start("imbalance", (long) settings.repeats() * configurations.size())) {
            for (int r = 0; r < repeats.size(); r++) {
                RepeatData repeat = repeats.get(r);
                String repeatText = String.format(Locale.ROOT, "repeat %d/%d", r + 1, settings.repeats());
                for (Configuration configuration : configurations) {
                    runs.add(() -> {
                        progress.message(repeatText + ", " + configuration.label());
                        MultiLayerNetwork net = network(data.features(), repeat.seed(),
                                configuration.lossForPosWeight().apply(repeat.posWeight()));
                        net.setParams(repeat.initialWeights());
                        train(net, repeat.train(), settings.epochs(), new Random(repeat.seed() + 1));
                        RepeatResult result = evaluate(net, repeat.test());
                        progress.step();
                        return result;
                    });
                }
            }
            List<RepeatResult> all = Workers.run(settings.threads(), runs);
            for (int c = 0; c < configurations.size(); c++) {
                List<RepeatResult> perRepeat = new ArrayList<>();
                for (int r = 0; r < repeats.size(); r++) {
                    perRepeat.add(all.get(r * configurations.size() + c));
                }
                results.add(perRepeat);
            }
        }
        List<boolean[]> testLabels = repeats.stream().map(r -> r.test().positive()).toList();
        SplitInfo train = new SplitInfo(repeats.get(0).train().rows(), repeats.get(0).train().positives());
        SplitInfo test = new SplitInfo(repeats.get(0).test().rows(), repeats.get(0).test().positives());
        double posWeight = repeats.get(0).posWeight();
        List<ConfigurationSummary> summaries = new ArrayList<>();
        for (int c = 0; c < configurations.size(); c++) {
            Configuration configuration = configurations.get(c);
            Map<String, Object> parameters = new LinkedHashMap<>(configuration.parameters());
            if (configuration.id().equals("weighted_bce")) {
                // the split is stratified, so every repeat trains on the same class counts and the same posWeight
                parameters.put("posWeight", posWeight);
            }
            summaries.add(new ConfigurationSummary(configuration.id(), configuration.label(), configuration.loss(),
                    parameters, metrics(results.get(c))));
        }
        DatasetInfo dataset = new DatasetInfo(source, data.description(), data.rows(), data.positives(),
                data.features(), data.featureNames(), data.positiveLabel(), data.negativeLabel(),
                settings.testFraction(), train, test, "features standardised (z-score) with the mean and standard"
                        + " deviation of each repeat's training split; stratified train/test split");
        Summary summary = new Summary("imbalance", settings.seed(), settings.repeats(),
                Arrays.stream(repeatSeeds).boxed().toList(), dataset, network(settings), METRIC_DEFINITIONS,
                summaries);
        return new Result(summary, configurations, results, testLabels);
    }

    private static Metrics metrics(List<RepeatResult> repeats) {
        return new Metrics(
                Statistic.of(repeats.stream().mapToDouble(RepeatResult::averagePrecision).toArray()),
                Statistic.of(repeats.stream().mapToDouble(RepeatResult::rocAuc).toArray()),
                Statistic.of(repeats.stream().mapToDouble(RepeatResult::bestF1).toArray()),
                Statistic.of(repeats.stream().mapToDouble(RepeatResult::minorityRecall).toArray()),
                Statistic.of(repeats.stream().mapToDouble(RepeatResult::minorityPrecision).toArray()));
    }

    static MultiLayerNetwork network(int features, long seed, ILossFunction loss) {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(features).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.SIGMOID)
                        .nIn(HIDDEN).nOut(1).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        return net;
    }

    /** {@code batchRandom} is fresh per configuration, so every configuration sees the same minibatches. */
    private static void train(MultiLayerNetwork net, BinaryData.Prepared rows, int epochs, Random batchRandom) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = ImbalancedBlobs.shuffle(IntStream.range(0, rows.rows()).toArray(), batchRandom);
            for (int from = 0; from < order.length; from += MINIBATCH) {
                net.fit(rows.rows(Arrays.copyOfRange(order, from, Math.min(order.length, from + MINIBATCH))));
            }
        }
    }

    static RepeatResult evaluate(MultiLayerNetwork net, BinaryData.Prepared test) {
        INDArray output = net.output(test.all().getFeatures(), false);
        double[] scores = output.castTo(DataType.DOUBLE).reshape(test.rows()).toDoubleVector();
        boolean[] positive = test.positive();
        BinaryMetrics.PrCurve curve = BinaryMetrics.precisionRecallCurve(scores, positive);
        BinaryMetrics.BestF1 best = BinaryMetrics.bestF1(curve);
        BinaryMetrics.AtThreshold decision = BinaryMetrics.atThreshold(scores, positive, DECISION_THRESHOLD);
        return new RepeatResult(BinaryMetrics.averagePrecision(curve), BinaryMetrics.rocAuc(scores, positive),
                best.f1(), best.threshold(), decision.recall(), decision.precision(), curve, scores);
    }
}
