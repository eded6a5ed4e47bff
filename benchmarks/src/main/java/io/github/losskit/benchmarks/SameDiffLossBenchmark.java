package io.github.losskit.benchmarks;

import io.github.losskit.samediff.SDLosses;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long does one forward and backward pass of a LossKit SameDiff loss graph take, against SameDiff's own
 * loss ops? The graph is built once; each call computes the summed loss and its gradient for the logits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SameDiffLossBenchmark {

    public enum Candidate {
        SAMEDIFF_SOFTMAX_CROSS_ENTROPY(true),
        SDLOSSES_CROSS_ENTROPY(true),
        SDLOSSES_FOCAL(true),
        SAMEDIFF_SIGMOID_CROSS_ENTROPY(false),
        SDLOSSES_BINARY_CROSS_ENTROPY(false),
        SDLOSSES_BINARY_FOCAL(false);

        final boolean softmax;

        Candidate(boolean softmax) {
            this.softmax = softmax;
        }

        /** The SameDiff built-in this candidate is compared with, or {@code null} for a built-in. */
        public Candidate baseline() {
            return name().startsWith("SAMEDIFF") ? null
                    : softmax ? SAMEDIFF_SOFTMAX_CROSS_ENTROPY : SAMEDIFF_SIGMOID_CROSS_ENTROPY;
        }

        SDVariable define(SameDiff sd, SDVariable labels, SDVariable logits) {
            SDLosses losses = new SDLosses(sd);
            return switch (this) {
                case SAMEDIFF_SOFTMAX_CROSS_ENTROPY -> sd.loss().softmaxCrossEntropy("loss", labels, logits, null,
                        LossReduce.SUM, 0.0);
                case SDLOSSES_CROSS_ENTROPY -> losses.crossEntropy("loss", labels, logits, null, LossReduce.SUM, 0.0);
                case SDLOSSES_FOCAL -> losses.focal("loss", labels, logits, null, LossReduce.SUM, 2.0, 0.25);
                case SAMEDIFF_SIGMOID_CROSS_ENTROPY -> sd.loss().sigmoidCrossEntropy("loss", labels, logits, null,
                        LossReduce.SUM, 0.0);
                case SDLOSSES_BINARY_CROSS_ENTROPY -> losses.binaryCrossEntropy("loss", labels, logits, null,
                        LossReduce.SUM, 0.0);
                case SDLOSSES_BINARY_FOCAL -> losses.binaryFocal("loss", labels, logits, null, LossReduce.SUM, 2.0,
                        0.25);
            };
        }
    }

    @Param({"256x10", "4096x1000"})
    public String shape;

    @Param
    public Candidate loss;

    private SameDiff sd;

    @Setup
    public void buildGraph() {
        int[] size = Inputs.shape(shape);
        INDArray labels = loss.softmax ? Inputs.oneHot(size[0], size[1], 1)
                : Inputs.multiLabel(size[0], size[1], 0.1, 1);
        sd = SameDiff.create();
        SDVariable labelConstant = sd.constant("labels", labels);
        SDVariable logits = sd.var("logits", Inputs.gaussian(size[0], size[1], 2).muli(3));
        loss.define(sd, labelConstant, logits).markAsLoss();
    }

    @Benchmark
    public void forwardAndBackward(Blackhole blackhole) {
        OutAndGrad result = sd.calculateGradientsAndOutputs(Map.of(), List.of("loss"), List.of("logits"));
        blackhole.consume(result.getOutputs().get("loss"));
        blackhole.consume(result.getGradients().get("logits"));
    }
}
