package io.github.losskit.core.metric;

import io.github.losskit.core.Broadcast;
import io.github.losskit.core.Need;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Mining#SEMI_HARD}: per anchor-positive pair, the nearest negative inside the band
 * d(a,p) < d(a,n) < d(a,p) + margin, else the anchor's nearest negative. Candidates are [chunk, N, N] tensors
 * indexed (anchor, positive, negative), one chunk of anchors at a time.
 */
final class SemiHardMiner implements TripletMiner {

    private final long chunkElements;

    SemiHardMiner(long chunkElements) {
        this.chunkElements = chunkElements;
    }

    @Override
    public MinedTriplets mine(INDArray distances, InBatchPairs pairs, TripletRule rule, Need need) {
        long n = distances.size(0);
        DataType type = distances.dataType();
        double far = Distance.beyondAny(type);
        int chunk = TripletMiner.chunkSize(n, chunkElements);
        INDArray perAnchor = need.score() ? Nd4j.zeros(type, n, 1) : null;
        INDArray sensitivities = need.gradient() ? Nd4j.zeros(type, n, n) : null;
        INDArray distancesByPositive = distances.reshape(1, n, n);
        double valid = 0;
        double active = 0;
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            long c = end - start;
            INDArray anchorRows = TripletMiner.rows(distances, start, end);
            INDArray positives = TripletMiner.rows(pairs.positive(), start, end);
            INDArray negatives = TripletMiner.rows(pairs.negative(), start, end);
            INDArray anchorToPositive = anchorRows.reshape(c, n, 1);
            INDArray anchorToNegative = anchorRows.reshape(c, 1, n);

            INDArray gap = anchorToNegative.sub(anchorToPositive);
            INDArray band = negatives.reshape(c, 1, n).mul(gap.gt(0.0).castTo(type))
                    .muli(gap.lt(rule.margin()).castTo(type));
            INDArray inBand = band.max(2);
            INDArray nearestInBand = Nd4j.argMin(band.rsub(1.0).muli(far).addi(anchorToNegative), 2)
                    .castTo(type);
            INDArray nearest = Nd4j.argMin(negatives.rsub(1.0).muli(far).addi(anchorRows), 1).castTo(type)
                    .reshape(c, 1);
            // inBand is 0/1 and the indices are small integers, so this blend is an exact selection
            INDArray chosen = nearestInBand.mul(inBand).addi(Broadcast.mul(inBand.rsub(1.0), nearest, null));
            INDArray chosenOneHot = TripletMiner.oneHot(chosen, n, type);

            INDArray toChosen = chosenOneHot.mul(anchorToNegative).sum(2);
            INDArray positiveToChosen = rule.swap() ? chosenOneHot.mul(distancesByPositive).sum(2) : null;
            INDArray pairsWithANegative = Broadcast.mul(positives, negatives.max(true, 1), null);
            TripletRule.Terms terms = rule.terms(anchorRows, toChosen, positiveToChosen, pairsWithANegative, need);
            valid += pairsWithANegative.sumNumber().doubleValue();
            active += terms.active().sumNumber().doubleValue();
            if (perAnchor != null) {
                perAnchor.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())
                        .addi(terms.values().sum(true, 1));
            }
            if (sensitivities != null) {
                INDArray anchorRowsOfSensitivities = sensitivities.get(NDArrayIndex.interval(start, end),
                        NDArrayIndex.all());
                anchorRowsOfSensitivities.addi(terms.slopes());
                anchorRowsOfSensitivities.addi(chosenOneHot
                        .mul(terms.anchorNegativeSensitivities().reshape(c, n, 1)).sum(1));
                if (rule.swap()) {
                    sensitivities.addi(chosenOneHot
                            .mul(terms.positiveNegativeSensitivities().reshape(c, n, 1)).sum(0));
                }
            }
        }
        return new MinedTriplets(perAnchor, valid, active, sensitivities);
    }
}
