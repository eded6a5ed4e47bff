package io.github.losskit.dl4j.metric;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import java.util.List;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/** Every metric-loss mode in the configurations the metric tests run over. */
public final class MetricCatalog {

    private MetricCatalog() {
    }

    public static List<MetricCase> all() {
        return List.of(
                new MetricCase("contrastive consecutive", LossContrastive::new, ActivationIdentity::new,
                        MetricLabels.PAIR_SIMILARITY, 2, 4, 0.4),
                new MetricCase("contrastive consecutive positive margin squared",
                        () -> LossContrastive.builder().margin(1.5).positiveMargin(0.3)
                                .distance(Distance.SQUARED_EUCLIDEAN).build(),
                        ActivationIdentity::new, MetricLabels.PAIR_SIMILARITY, 2, 3, 0.5),
                new MetricCase("contrastive consecutive cosine through tanh",
                        () -> LossContrastive.builder().margin(0.8).distance(Distance.COSINE).build(),
                        ActivationTanH::new, MetricLabels.PAIR_SIMILARITY, 2, 4, 1.0),
                new MetricCase("contrastive all in batch",
                        () -> LossContrastive.builder().margin(2.0).pairs(PairMode.ALL_IN_BATCH).build(),
                        ActivationIdentity::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("contrastive all in batch one-hot cosine positive margin",
                        () -> LossContrastive.builder().margin(0.9).positiveMargin(0.1).pairs(PairMode.ALL_IN_BATCH)
                                .distance(Distance.COSINE).build(),
                        ActivationIdentity::new, MetricLabels.ONE_HOT, 0, 4, 1.0),
                new MetricCase("triplet consecutive", LossTriplet::new, ActivationIdentity::new, MetricLabels.IGNORED,
                        3, 4, 1.0),
                new MetricCase("triplet consecutive swap", () -> LossTriplet.builder().swap(true).build(),
                        ActivationIdentity::new, MetricLabels.IGNORED, 3, 4, 1.0),
                new MetricCase("triplet consecutive soft margin cosine through tanh",
                        () -> LossTriplet.builder().softMargin().distance(Distance.COSINE).build(),
                        ActivationTanH::new, MetricLabels.IGNORED, 3, 4, 1.0),
                new MetricCase("triplet batch hard",
                        () -> LossTriplet.builder().mining(Mining.BATCH_HARD).build(),
                        ActivationIdentity::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("triplet batch hard soft margin swap one-hot",
                        () -> LossTriplet.builder().mining(Mining.BATCH_HARD).softMargin().swap(true).build(),
                        ActivationIdentity::new, MetricLabels.ONE_HOT, 0, 4, 1.0),
                new MetricCase("triplet batch hard squared through tanh",
                        () -> LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.5)
                                .distance(Distance.SQUARED_EUCLIDEAN).build(),
                        ActivationTanH::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("triplet batch all",
                        () -> LossTriplet.builder().mining(Mining.BATCH_ALL).build(),
                        ActivationIdentity::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("triplet batch all soft margin swap cosine",
                        () -> LossTriplet.builder().mining(Mining.BATCH_ALL).softMargin().swap(true)
                                .distance(Distance.COSINE).build(),
                        ActivationIdentity::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("triplet semi-hard",
                        () -> LossTriplet.builder().mining(Mining.SEMI_HARD).build(),
                        ActivationIdentity::new, MetricLabels.CLASS_IDS, 0, 4, 1.0),
                new MetricCase("triplet semi-hard swap one-hot",
                        () -> LossTriplet.builder().mining(Mining.SEMI_HARD).margin(0.7).swap(true).build(),
                        ActivationIdentity::new, MetricLabels.ONE_HOT, 0, 4, 1.0));
    }
}
