package io.github.losskit.dl4j.multitask;

import static io.github.losskit.dl4j.multitask.MultiTaskData.CLASSES;
import static io.github.losskit.dl4j.multitask.MultiTaskData.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.testing.LossCase;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** DL4J's gradient check through whole networks, and training, with the multi-task head as the output. */
class MultiTaskNetworkTest {

    private static final int FEATURES = 4;
    private static final int ROWS = 6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static MultiLayerNetwork network(LossMultiTask loss, NeuralNetConfiguration.Builder base) {
        MultiLayerConfiguration conf = base.list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).nIn(5)
                        .nOut(loss.nOut()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static NeuralNetConfiguration.Builder gradientCheckBase() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    private static boolean check(MultiLayerNetwork net, INDArray features, INDArray labels, INDArray labelMask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                .labels(labels).labelMask(labelMask).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void outputLayerPassesTheGradientCheckWithEveryKindOfMask() {
        MultiLayerNetwork net = network(MultiTaskData.head(1.0, 5.0, 0.25, 0.5), gradientCheckBase());
        INDArray features = LossCase.gaussian(ROWS, FEATURES, 3, 1.0, DataType.DOUBLE);
        INDArray labels = MultiTaskData.labels(ROWS, 4, DataType.DOUBLE);
        assertTrue(check(net, features, labels, null), "no mask");
        assertTrue(check(net, features, labels, MultiTaskData.column(1, 0, 1, 1, 0, 1)), "per-example mask");
        INDArray noBoxForExample2 = Nd4j.ones(ROWS, COLUMNS);
        noBoxForExample2.get(NDArrayIndex.point(2), NDArrayIndex.interval(CLASSES, CLASSES + 2)).assign(0);
        assertTrue(check(net, features, labels, noBoxForExample2), "per-output mask dropping one task");
    }

    @Test
    void minibatchOfOne() {
        MultiLayerNetwork net = network(MultiTaskData.head(), gradientCheckBase());
        assertTrue(check(net, LossCase.gaussian(1, FEATURES, 5, 1.0, DataType.DOUBLE),
                MultiTaskData.labels(1, 6, DataType.DOUBLE), null));
    }

    @Test
    void lossLayerInAComputationGraphPassesTheGradientCheck() {
        LossMultiTask loss = MultiTaskData.head();
        var conf = gradientCheckBase().graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(FEATURES).nOut(COLUMNS)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("loss", new LossLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).build(),
                        "dense")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray features = LossCase.gaussian(ROWS, FEATURES, 7, 1.0, DataType.DOUBLE);
        INDArray labels = MultiTaskData.labels(ROWS, 8, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {features}).labels(new INDArray[] {labels})
                .labelMask(new INDArray[] {MultiTaskData.column(1, 1, 0, 1, 1, 1)}).epsilon(1e-6).maxRelError(1e-3)
                .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void trainingLowersTheScore() {
        MultiLayerNetwork net = network(MultiTaskData.head(), new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Adam(0.02)));
        DataSet data = new DataSet(LossCase.gaussian(32, FEATURES, 9, 1.0, DataType.DOUBLE),
                MultiTaskData.labels(32, 10, DataType.DOUBLE));
        double before = net.score(data);
        for (int i = 0; i < 60; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(after < 0.8 * before, "score " + before + " -> " + after);
    }
}
