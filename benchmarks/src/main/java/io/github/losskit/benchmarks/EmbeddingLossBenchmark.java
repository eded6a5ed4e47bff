package io.github.losskit.benchmarks;

import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
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
 * How long does score + gradient of an in-batch metric loss take, against one matrix product of the size of
 * its pairwise-distance matrix (embeddings [N, D] times their transpose)?
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EmbeddingLossBenchmark {

    private static final int CLASSES = 32;

    public enum Candidate {
        /** X X^T for embeddings X [N, D]: the product every pairwise distance matrix starts from. */
        PAIRWISE_MATMUL,
        LOSS_TRIPLET_BATCH_HARD,
        LOSS_CONTRASTIVE_ALL_PAIRS;

        public Candidate baseline() {
            return this == PAIRWISE_MATMUL ? null : PAIRWISE_MATMUL;
        }

        ILossFunction newLoss() {
            return switch (this) {
                case PAIRWISE_MATMUL -> null;
                case LOSS_TRIPLET_BATCH_HARD -> LossTriplet.builder().margin(1.0).mining(Mining.BATCH_HARD).build();
                case LOSS_CONTRASTIVE_ALL_PAIRS -> LossContrastive.builder().pairs(PairMode.ALL_IN_BATCH).build();
            };
        }
    }

    /** Embeddings [N, D]: N rows of D dimensions. */
    @Param({"1024x128", "4096x128"})
    public String embeddingShape;

    @Param({"FIT", "NONE"})
    public WorkspaceMode workspace;

    @Param
    public Candidate loss;

    private ILossFunction function;
    private final IActivation identity = new ActivationIdentity();
    private INDArray classIds;
    private INDArray embeddings;

    @Setup
    public void createInputs() {
        int[] size = Inputs.shape(embeddingShape);
        function = loss.newLoss();
        embeddings = Inputs.gaussian(size[0], size[1], 2);
        Nd4j.getRandom().setSeed(1);
        classIds = Nd4j.rand(DataType.FLOAT, size[0], 1).muli(CLASSES).castTo(DataType.INT32).castTo(DataType.FLOAT);
    }

    @Benchmark
    public void scoreAndGradient(Blackhole blackhole) {
        if (function == null) {
            blackhole.consume(workspace.run(() -> embeddings.mmul(embeddings.transpose())));
            return;
        }
        LossCandidate.scoreAndGradient(workspace, function, classIds, embeddings, identity, blackhole);
    }
}
