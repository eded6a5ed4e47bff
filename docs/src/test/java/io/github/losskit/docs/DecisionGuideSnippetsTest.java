package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossSmoothL1;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The snippets of docs/decision-guide.md. */
class DecisionGuideSnippetsTest {

    /**
     * Anchors with 8 features; class k is present where feature k exceeds 1 (rare), and the box target is a
     * linear function of the features. Background anchors (no class) have NaN box targets: nothing to regress.
     */
    private static MultiDataSet anchors(int rows, long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.zeros(DataType.FLOAT, rows, 8);
        INDArray classes = Nd4j.zeros(DataType.FLOAT, rows, 3);
        INDArray boxes = Nd4j.zeros(DataType.FLOAT, rows, 4);
        INDArray boxMask = Nd4j.zeros(DataType.FLOAT, rows, 1);
        for (int r = 0; r < rows; r++) {
            double[] x = new double[8];
            for (int f = 0; f < 8; f++) {
                x[f] = random.nextGaussian();
                features.putScalar(r, f, x[f]);
            }
            boolean object = false;
            for (int k = 0; k < 3; k++) {
                if (x[k] > 1) {
                    classes.putScalar(r, k, 1);
                    object = true;
                }
            }
            for (int b = 0; b < 4; b++) {
                boxes.putScalar(r, b, object ? 0.5 * x[3 + b] - 0.2 * x[b] : Double.NaN);
            }
            boxMask.putScalar(r, 0, object ? 1 : 0);
        }
        return new MultiDataSet(new INDArray[] {features}, new INDArray[] {classes, boxes}, null,
                new INDArray[] {null, boxMask});
    }

    @Test
    void objectDetection() {
        MultiDataSet batch = anchors(256, 11);

        // region: objectDetection
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Adam(0.01))
                .graphBuilder()
                .addInputs("anchor")
                .addLayer("trunk", new DenseLayer.Builder().nIn(8).nOut(32).activation(Activation.RELU).build(),
                        "anchor")
                // one sigmoid per class: is there an object of class k at this anchor? Most anchors are
                // background, so focal loss (gamma 2, alpha 0.25 as in RetinaNet) down-weights the easy ones
                .addLayer("classes", new OutputLayer.Builder()
                        .lossFunction(new LossFocal())
                        .activation(Activation.SIGMOID)
                        .nIn(32).nOut(3).build(), "trunk")
                // box offsets, robust to poorly matched anchors; beta 1/9 as in torchvision's Faster R-CNN
                .addLayer("boxes", new OutputLayer.Builder()
                        .lossFunction(new LossSmoothL1(1.0 / 9))
                        .activation(Activation.IDENTITY)
                        .nIn(32).nOut(4).build(), "trunk")
                .setOutputs("classes", "boxes")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();

        // labels: classes [anchors, 3] (0/1), boxes [anchors, 4]; the boxes' label mask [anchors, 1] is 1
        // for anchors matched to an object and 0 for background, whose box targets may hold anything
        for (int epoch = 0; epoch < 50; epoch++) {
            net.fit(batch);
        }
        // endregion

        ComputationGraph untrained = new ComputationGraph(conf.clone());
        untrained.init();
        double before = untrained.score(batch);
        double after = net.score(batch);
        assertTrue(Double.isFinite(before), "background anchors hold NaN box targets, masked out: " + before);
        assertTrue(after < 0.7 * before, before + " -> " + after);

        // a ComputationGraph's score is the sum of its output layers' scores (each divided by the minibatch)
        INDArray trunk = net.feedForward(batch.getFeatures(0), false).get("trunk");
        INDArray classLogits = trunk.mmul(net.getParam("classes_W")).addiRowVector(net.getParam("classes_b"));
        INDArray boxes = trunk.mmul(net.getParam("boxes_W")).addiRowVector(net.getParam("boxes_b"));
        double classScore = new LossFocal().computeScore(batch.getLabels(0), classLogits,
                Activation.SIGMOID.getActivationFunction(), null, true);
        double boxScore = new LossSmoothL1(1.0 / 9).computeScore(batch.getLabels(1), boxes,
                Activation.IDENTITY.getActivationFunction(), batch.getLabelsMaskArray(1), true);
        assertEquals(classScore + boxScore, after, 1e-4 * after);
    }

    @Test
    void imageReconstruction() {
        // 8x8 single-channel images: a bright square on noise; the network learns to remove the noise
        Random random = new Random(3);
        INDArray clean = Nd4j.zeros(DataType.FLOAT, 32, 1, 8, 8);
        INDArray noisy = Nd4j.zeros(DataType.FLOAT, 32, 1, 8, 8);
        for (int i = 0; i < 32; i++) {
            int top = i % 5;
            int left = (i / 5) % 5;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double v = y >= top && y < top + 3 && x >= left && x < left + 3 ? 1 : 0;
                    clean.putScalar(new int[] {i, 0, y, x}, v);
                    noisy.putScalar(new int[] {i, 0, y, x}, v + 0.3 * random.nextGaussian());
                }
            }
        }
        DataSet images = new DataSet(noisy, clean);

        // region: imageReconstruction
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(2)
                .updater(new Adam(0.01))
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.IDENTITY).build())
                // per pixel: |d| - beta / 2 beyond beta, quadratic within (an L1 loss with a smooth minimum)
                .layer(new CnnLossLayer.Builder(new LossSmoothL1(0.1)).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(images);   // features: noisy images [n, 1, 8, 8]; labels: clean images, the same shape
        }
        // endregion

        MultiLayerNetwork untrained = new MultiLayerNetwork(conf.clone());
        untrained.init();
        double before = untrained.score(images);
        double after = net.score(images);
        assertTrue(after < 0.5 * before, before + " -> " + after);
        // CnnLossLayer hands the loss one row per pixel; the score is still divided by the number of images
        INDArray output = net.output(noisy);
        double summed = 0;
        for (int i = 0; i < output.length(); i++) {
            double d = Math.abs(output.getDouble(i) - clean.getDouble(i));
            summed += d < 0.1 ? 0.5 * d * d / 0.1 : d - 0.05;
        }
        assertEquals(summed / 32, after, 1e-3 * Math.max(1, summed / 32));
    }
}
