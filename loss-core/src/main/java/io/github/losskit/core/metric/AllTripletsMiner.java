package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Mining#BATCH_ALL}: every (anchor, positive, negative) of the batch, as [chunk, N, N] tensors indexed
 * (anchor, positive, negative), one chunk of anchors at a time.
 */
final class AllTripletsMiner implements TripletMiner {

    private final long chunkElements;

    AllTripletsMiner(long chunkElements) {
        this.chunkElements = chunkElements;
    }

    @Override
    public MinedTriplets mine(INDArray distances, InBatchPairs pairs, TripletRule rule, Need need) {
        long n = distances.size(0);
        int chunk = TripletMiner.chunkSize(n, chunkElements);
        INDArray perAnchor = need.score() ? Nd4j.zeros(distances.dataType(), n, 1) : null;
        INDArray sensitivities = need.gradient() ? Nd4j.zeros(distances.dataType(), n, n) : null;
        // d(p, n) indexed (., positive, negative): the distance matrix itself
        INDArray positiveToNegative = rule.swap() ? distances.reshape(1, n, n) : null;
        double valid = 0;
        double active = 0;
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            long c = end - start;
            INDArray anchorRows = TripletMiner.rows(distances, start, end);
            INDArray anchorToPositive = anchorRows.reshape(c, n, 1);
            INDArray anchorToNegative = anchorRows.reshape(c, 1, n);
            INDArray triplets = TripletMiner.rows(pairs.positive(), start, end).reshape(c, n, 1)
                    .mul(TripletMiner.rows(pairs.negative(), start, end).reshape(c, 1, n));
            TripletRule.Terms terms = rule.terms(anchorToPositive, anchorToNegative, positiveToNegative, triplets,
                    need);
            valid += triplets.sumNumber().doubleValue();
            active += terms.active().sumNumber().doubleValue();
            if (perAnchor != null) {
                perAnchor.get(NDArrayIndex.interval(start, end), NDArrayIndex.all())
                        .addi(terms.values().sum(1, 2).reshape(c, 1));
            }
            if (sensitivities != null) {
                INDArray anchorRowsOfSensitivities = sensitivities.get(NDArrayIndex.interval(start, end),
                        NDArrayIndex.all());
                INDArray slopes = terms.slopes();
                // d(a,p) gets the slopes summed over negatives, d(a,n) minus those summed over positives except
                // where swap moved them to d(p,n): sums first, so that only swap needs another full tensor
                anchorRowsOfSensitivities.addi(slopes.sum(2)).subi(slopes.sum(1));
                if (rule.swap()) {
                    INDArray swappedSlopes = slopes.mul(terms.swapped());
                    anchorRowsOfSensitivities.addi(swappedSlopes.sum(1));
                    sensitivities.subi(swappedSlopes.sum(0));
                }
            }
        }
        return new MinedTriplets(perAnchor, valid, active, sensitivities);
    }
}
