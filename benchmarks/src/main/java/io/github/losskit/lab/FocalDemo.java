package io.github.losskit.lab;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Trains one small MLP twice on {@link ImbalancedBlobs}, with cross-entropy and with focal loss, and
 * evaluates both on the test split. Both runs share the data, the initial weights and the order of the
 * minibatches, so the loss is the only difference between them.
 */
final class FocalDemo {

    static final int TRAIN_ROWS = 3000;
    static final int TEST_ROWS = 1000;
    static final int HIDDEN = 16;
    static final int MINIBATCH = 64;
    static final double LEARNING_RATE = 0.01;

    record Settings(long seed, int epochs, double gamma, double alpha) {
    }

    record SplitSize(int rows, int minorityRows) {
    }

    record DatasetInfo(String description, int features, int minorityClass, double minorityShare,
            SplitSize train, SplitSize test) {
    }

    record NetworkInfo(String layers, String updater, double learningRate, int minibatch, String dataType) {
    }

    record ClassMetrics(int index, String label, int support, double precision, double recall, double f1) {
    }

    /**
     * @param finalTrainingScore the run's own loss, averaged over the whole training split after the last
     *                           epoch; the two losses are on different scales, so compare the metrics instead
     */
    record Run(String name, String loss, Map<String, Object> parameters, double finalTrainingScore,
            List<ClassMetrics> classes, double minorityRecall) {

        ClassMetrics minority() {
            return classes.get(ImbalancedBlobs.MINORITY);
        }
    }

    /**
     * Focal against cross-entropy on the minority rows of the test split. Both runs classify the same rows, so
     * only the rows on which they disagree tell them apart: {@code mcNemarP} is the exact two-sided McNemar
     * test of those rows, the chance of a split at least this uneven if neither loss were better.
     */
    record MinorityComparison(double recallDifference, int foundOnlyByFocal, int foundOnlyByCrossEntropy,
            double mcNemarP) {
    }

    record Summary(String demo, long seed, int epochs, DatasetInfo dataset, NetworkInfo network, List<Run> runs,
            MinorityComparison minorityComparison, String verdict) {
    }

    private record Trained(Run run, int[] testPredictions) {
    }

    static final NetworkInfo NETWORK = new NetworkInfo(ImbalancedBlobs.FEATURES + "-" + HIDDEN + "-" + HIDDEN
            + "-" + ImbalancedBlobs.CLASSES + " MLP (ReLU, ReLU, softmax), Xavier init", "Adam", LEARNING_RATE,
            MINIBATCH, "float");

    private FocalDemo() {
    }

    /** The focal loss of the demo; throws {@link IllegalArgumentException} for parameters it rejects. */
    static LossFocal focalLoss(Settings settings) {
        return LossFocal.builder().gamma(settings.gamma()).alpha(settings.alpha()).build();
    }

    static Summary run(Settings settings) {
        // this network's arrays are too small to gain from threads (one thread used less CPU time than two),
        // and one thread takes the core count out of the numbers. Idle threads that spin are another matter,
        // settled by OMP_WAIT_POLICY before the JVM starts (see the losskit launcher).
        Environment environment = Nd4j.getEnvironment();
        int threads = environment.maxThreads();
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        environment.setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        try {
            return runSingleThreaded(settings);
        } finally {
            environment.setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    private static Summary runSingleThreaded(Settings settings) {
        Random dataRandom = new Random(settings.seed());
        ImbalancedBlobs.Split train = ImbalancedBlobs.draw(dataRandom, TRAIN_ROWS);
        ImbalancedBlobs.Split test = ImbalancedBlobs.draw(dataRandom, TEST_ROWS);

        LossCrossEntropy crossEntropy = new LossCrossEntropy();
        Map<String, Object> crossEntropyParameters = new LinkedHashMap<>();
        crossEntropyParameters.put("labelSmoothing", crossEntropy.getLabelSmoothing());
        crossEntropyParameters.put("weights", crossEntropy.getWeights());
        LossFocal focal = focalLoss(settings);
        Map<String, Object> focalParameters = new LinkedHashMap<>();
        focalParameters.put("gamma", focal.getGamma());
        focalParameters.put("alpha", focal.getAlpha());

        MultiLayerNetwork crossEntropyNet = network(settings.seed(), crossEntropy);
        MultiLayerNetwork focalNet = network(settings.seed(), focal);
        focalNet.setParams(crossEntropyNet.params().dup());

        Trained crossEntropyRun = trainAndEvaluate("cross-entropy", crossEntropy, crossEntropyParameters,
                crossEntropyNet, settings, train, test);
        Trained focalRun = trainAndEvaluate("focal", focal, focalParameters, focalNet, settings, train, test);
        MinorityComparison comparison = compareOnMinority(crossEntropyRun, focalRun, test);
        DatasetInfo dataset = new DatasetInfo(ImbalancedBlobs.DESCRIPTION, ImbalancedBlobs.FEATURES,
                ImbalancedBlobs.MINORITY, ImbalancedBlobs.minorityShare(),
                new SplitSize(train.rows(), train.minorityRows()), new SplitSize(test.rows(), test.minorityRows()));
        return new Summary("focal-demo", settings.seed(), settings.epochs(), dataset, NETWORK,
                List.of(crossEntropyRun.run(), focalRun.run()), comparison,
                verdict(crossEntropyRun.run(), focalRun.run(), comparison));
    }

    private static MultiLayerNetwork network(long seed, ILossFunction loss) {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(ImbalancedBlobs.FEATURES).nOut(HIDDEN)
                        .activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(ImbalancedBlobs.CLASSES).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        net.init();
        return net;
    }

    private static Trained trainAndEvaluate(String name, ILossFunction loss, Map<String, Object> parameters,
            MultiLayerNetwork net, Settings settings, ImbalancedBlobs.Split train, ImbalancedBlobs.Split test) {
        // a fresh generator per run gives both runs the same minibatches in the same order
        Random batchRandom = new Random(settings.seed() + 1);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = ImbalancedBlobs.shuffle(IntStream.range(0, train.rows()).toArray(), batchRandom);
            for (int from = 0; from < order.length; from += MINIBATCH) {
                net.fit(train.rows(Arrays.copyOfRange(order, from, Math.min(order.length, from + MINIBATCH))));
            }
        }
        double finalTrainingScore = net.score(train.all(), false);

        DataSet testData = test.all();
        INDArray testOutput = net.output(testData.getFeatures(), false);
        Evaluation evaluation = new Evaluation(ImbalancedBlobs.CLASSES);
        evaluation.eval(testData.getLabels(), testOutput);
        int[] support = {test.rows() - test.minorityRows(), test.minorityRows()};
        String[] labels = {"majority", "minority"};
        List<ClassMetrics> classes = new ArrayList<>();
        for (int c = 0; c < ImbalancedBlobs.CLASSES; c++) {
            classes.add(new ClassMetrics(c, labels[c], support[c], evaluation.precision(c), evaluation.recall(c),
                    evaluation.f1(c)));
        }
        Run run = new Run(name, loss.getClass().getSimpleName(), parameters, finalTrainingScore,
                List.copyOf(classes), evaluation.recall(ImbalancedBlobs.MINORITY));
        return new Trained(run, testOutput.argMax(1).toIntVector());
    }

    private static MinorityComparison compareOnMinority(Trained crossEntropy, Trained focal,
            ImbalancedBlobs.Split test) {
        int foundOnlyByFocal = 0;
        int foundOnlyByCrossEntropy = 0;
        for (int row = 0; row < test.rows(); row++) {
            if (test.classOf(row) != ImbalancedBlobs.MINORITY) {
                continue;
            }
            boolean foundByFocal = focal.testPredictions()[row] == ImbalancedBlobs.MINORITY;
            boolean foundByCrossEntropy = crossEntropy.testPredictions()[row] == ImbalancedBlobs.MINORITY;
            if (foundByFocal && !foundByCrossEntropy) {
                foundOnlyByFocal++;
            } else if (foundByCrossEntropy && !foundByFocal) {
                foundOnlyByCrossEntropy++;
            }
        }
        return new MinorityComparison(focal.run().minorityRecall() - crossEntropy.run().minorityRecall(),
                foundOnlyByFocal, foundOnlyByCrossEntropy, exactMcNemarP(foundOnlyByFocal, foundOnlyByCrossEntropy));
    }

    /** Two-sided: twice the binomial(b + c, 1/2) tail at the smaller count, at most 1. */
    static double exactMcNemarP(int b, int c) {
        int n = b + c;
        double term = Math.pow(0.5, n);
        double tail = 0;
        for (int k = 0; k <= Math.min(b, c); k++) {
            tail += term;
            term = term * (n - k) / (k + 1);
        }
        return Math.min(1.0, 2 * tail);
    }

    static String verdict(Run crossEntropy, Run focal, MinorityComparison comparison) {
        double before = crossEntropy.minorityRecall();
        double after = focal.minorityRecall();
        String change = after == before ? String.format(Locale.ROOT, "left minority recall at %.3f", after)
                : String.format(Locale.ROOT, "%s minority recall from %.3f to %.3f", after > before ? "raised"
                        : "lowered", before, after);
        String significance = comparison.mcNemarP() < 0.05 ? "a clear difference" : "within noise";
        return String.format(Locale.ROOT, "focal loss %s compared with cross-entropy (it alone found %d minority"
                + " test rows, cross-entropy alone %d; McNemar p = %.2f, %s); minority precision %.3f -> %.3f",
                change, comparison.foundOnlyByFocal(), comparison.foundOnlyByCrossEntropy(), comparison.mcNemarP(),
                significance, crossEntropy.minority().precision(), focal.minority().precision());
    }
}
