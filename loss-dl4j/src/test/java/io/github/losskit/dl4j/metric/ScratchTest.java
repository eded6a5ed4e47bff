package io.github.losskit.dl4j.metric;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

class ScratchTest {
    static class Probe implements ILossFunction {
        public double computeScore(INDArray l, INDArray p, IActivation a, INDArray m, boolean avg) {
            System.out.println("score labels " + java.util.Arrays.toString(l.shape()) + " pre " + java.util.Arrays.toString(p.shape()) + " mask " + (m == null ? null : java.util.Arrays.toString(m.shape())));
            return p.sumNumber().doubleValue();
        }
        public INDArray computeScoreArray(INDArray l, INDArray p, IActivation a, INDArray m) { return p.sum(true, 1); }
        public INDArray computeGradient(INDArray l, INDArray p, IActivation a, INDArray m) {
            System.out.println("grad labels " + java.util.Arrays.toString(l.shape()));
            return Nd4j.onesLike(p); }
        public Pair<Double, INDArray> computeGradientAndScore(INDArray l, INDArray p, IActivation a, INDArray m, boolean avg) {
            return new Pair<>(computeScore(l, p, a, m, avg), computeGradient(l, p, a, m)); }
        public String name() { return "probe"; }
    }

    @Test
    void probe() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        INDArray a = Nd4j.rand(3, 4, 1);
        INDArray b = Nd4j.rand(3, 1, 4);
        try { System.out.println("add broadcast " + java.util.Arrays.toString(a.add(b).shape())); } catch (Exception e) { System.out.println("add fail " + e); }
        try { System.out.println("sub broadcast " + java.util.Arrays.toString(a.sub(b).shape())); } catch (Exception e) { System.out.println("sub fail " + e); }
        INDArray c = Nd4j.rand(4, 1);
        try { System.out.println("eq broadcast " + c.eq(c.transpose())); } catch (Exception e) { System.out.println("eq fail " + e); }
        try { System.out.println("max broadcast " + java.util.Arrays.toString(Nd4j.math().max(a, b).shape())); } catch (Exception e) { System.out.println("max fail " + e); }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(new Probe()).activation(Activation.IDENTITY).nIn(5).nOut(4).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray f = Nd4j.rand(6, 3);
        INDArray l = Nd4j.rand(6, 1);
        net.fit(f, l);
        System.out.println("score " + net.score());
        net.setLabels(l); 
        System.out.println("score via API " + net.score(new org.nd4j.linalg.dataset.DataSet(f, l)));
    }
}
