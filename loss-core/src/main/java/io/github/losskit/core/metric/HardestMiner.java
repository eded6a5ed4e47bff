package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Mining#BATCH_HARD}: per anchor, the farthest positive and the nearest negative. */
final class HardestMiner implements TripletMiner {

    @Override
    public MinedTriplets mine(INDArray distances, InBatchPairs pairs, TripletRule rule, Need need) {
        long n = distances.size(0);
        DataType type = distances.dataType();
        double far = TripletMiner.far(type);
        INDArray positive = pairs.positive();
        INDArray negative = pairs.negative();
        INDArray valid = positive.max(true, 1).muli(negative.max(true, 1));

        INDArray hardestPositive = TripletMiner.oneHot(
                Nd4j.argMax(distances.add(positive.sub(1.0).muli(far)), 1), n, type);
        INDArray hardestNegative = TripletMiner.oneHot(
                Nd4j.argMin(distances.sub(negative.sub(1.0).muli(far)), 1), n, type);
        // one-hot rows pick one entry per row exactly: a sum of one value and zeros
        INDArray anchorToPositive = distances.mul(hardestPositive).sum(true, 1);
        INDArray anchorToNegative = distances.mul(hardestNegative).sum(true, 1);
        INDArray positiveToNegative = rule.swap()
                ? hardestPositive.mmul(distances).muli(hardestNegative).sum(true, 1) : null;

        TripletRule.Terms terms = rule.terms(anchorToPositive, anchorToNegative, positiveToNegative, valid, need);
        INDArray sensitivities = null;
        if (need.gradient()) {
            sensitivities = hardestPositive.mulColumnVector(terms.slopes())
                    .addi(hardestNegative.mulColumnVector(terms.anchorNegativeSensitivities()));
            if (rule.swap()) {
                // d(p(a), n(a)) sits in row p(a): move each anchor's sensitivity there
                sensitivities.addi(hardestPositive.transpose()
                        .mmul(hardestNegative.mulColumnVector(terms.positiveNegativeSensitivities())));
            }
        }
        return new MinedTriplets(terms.values(), valid.sumNumber().doubleValue(),
                terms.active().sumNumber().doubleValue(), sensitivities);
    }
}
