package io.github.losskit.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The losses train real networks: on a 1:10 imbalanced set the score falls and the minority class is found. */
class TrainingTest {

    /** Two overlapping Gaussian blobs in 4-D, one minority row for every ten majority rows. */
    private static DataSet imbalanced(int rows, long seed) {
        Random random = new Random(seed);
        double[][] features = new double[rows][4];
        double[][] labels = new double[rows][2];
        for (int r = 0; r < rows; r++) {
            boolean minority = r % 11 == 0;
            for (int f = 0; f < 4; f++) {
                features[r][f] = random.nextGaussian() + (minority ? 1.5 : 0.0);
            }
            labels[r][minority ? 1 : 0] = 1;
        }
        return new DataSet(Nd4j.createFromArray(features).castTo(DataType.FLOAT),
                Nd4j.createFromArray(labels).castTo(DataType.FLOAT));
    }

    private static double trainAndMeasureMinorityRecall(ILossFunction loss, Activation activation) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.02)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(activation).nIn(16).nOut(2).build())
                .build());
        net.init();
        DataSet train = imbalanced(1100, 1);
        DataSet test = imbalanced(550, 2);
        double initialScore = net.score(train);
        for (int epoch = 0; epoch < 150; epoch++) {
            net.fit(train);
        }
        double finalScore = net.score(train);
        assertTrue(Double.isFinite(finalScore) && finalScore < 0.8 * initialScore,
                loss + ": score " + initialScore + " -> " + finalScore);
        Evaluation evaluation = new Evaluation(2);
        evaluation.eval(test.getLabels(), net.output(test.getFeatures()));
        return evaluation.recall(1);
    }

    @Test
    void softmaxFocalLossFindsTheMinorityClass() {
        double recall = trainAndMeasureMinorityRecall(new LossFocal(), Activation.SOFTMAX);
        // chance: a classifier blind to the features recalls the minority at its 1/11 base rate
        assertTrue(recall > 0.5, "minority recall " + recall);
    }

    @Test
    void sigmoidFocalLossFindsTheMinorityClass() {
        double recall = trainAndMeasureMinorityRecall(LossFocal.builder().alpha(0.75).build(), Activation.SIGMOID);
        assertTrue(recall > 0.5, "minority recall " + recall);
    }

    @Test
    void weightedBinaryCrossEntropyFindsTheMinorityClass() {
        double recall = trainAndMeasureMinorityRecall(LossBinaryCrossEntropy.builder().posWeight(1, 10).build(),
                Activation.SIGMOID);
        assertTrue(recall > 0.5, "minority recall " + recall);
    }

    @Test
    void classWeightedCrossEntropyFindsTheMinorityClass() {
        double recall = trainAndMeasureMinorityRecall(LossCrossEntropy.builder().weights(1, 10).labelSmoothing(0.05)
                .build(), Activation.SOFTMAX);
        assertTrue(recall > 0.5, "minority recall " + recall);
    }
}
