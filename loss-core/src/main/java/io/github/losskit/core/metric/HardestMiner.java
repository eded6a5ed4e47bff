package io.github.losskit.core.metric;

import io.github.losskit.core.Need;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Mining#BATCH_HARD}: per anchor, the farthest positive and the nearest negative. Each anchor reads two
 * distances (three with swap), so the sensitivities are returned as {@link DistanceEntries} and the gradient
 * never builds an [N, N] array.
 */
final class HardestMiner implements TripletMiner {

    @Override
    public MinedTriplets mine(INDArray distances, InBatchPairs pairs, TripletRule rule, Need need) {
        long n = distances.size(0);
        DataType type = distances.dataType();
        double far = Distance.beyondAny(type);
        // excluded entries pushed out of reach; allowed ones keep their distance exactly (+ 0)
        INDArray anchors = DistanceEntries.indices(Nd4j.arange(n));
        INDArray positiveCandidates = pairs.hardestPositiveCandidates(distances, far);
        INDArray hardestPositive = DistanceEntries.indices(Nd4j.argMax(positiveCandidates, 1));
        // the extreme values are gathered at the arg-extremes: N reads instead of a second [N, N] reduction
        INDArray anchorToPositive = new DistanceEntries(anchors, hardestPositive, null).valuesIn(positiveCandidates);
        INDArray negativeCandidates = pairs.nearestNegativeCandidates(distances, far);
        INDArray hardestNegative = DistanceEntries.indices(Nd4j.argMin(negativeCandidates, 1));
        INDArray anchorToNegative = new DistanceEntries(anchors, hardestNegative, null).valuesIn(negativeCandidates);
        // an anchor without a positive (or negative) sees only -far (+far); real distances are far below far / 2
        INDArray valid = anchorToPositive.gt(-far / 2).castTo(type).muli(anchorToNegative.lt(far / 2).castTo(type));
        DistanceEntries positiveNegative = rule.swap()
                ? new DistanceEntries(hardestPositive, hardestNegative, null) : null;
        INDArray positiveToNegative = rule.swap() ? positiveNegative.valuesIn(distances) : null;

        TripletRule.Terms terms = rule.terms(anchorToPositive, anchorToNegative, positiveToNegative, valid, need);
        DistanceEntries sensitivities = null;
        if (need.gradient()) {
            sensitivities = DistanceEntries.concat(
                    new DistanceEntries(anchors, hardestPositive, terms.slopes()),
                    new DistanceEntries(anchors, hardestNegative, terms.anchorNegativeSensitivities()),
                    rule.swap() ? new DistanceEntries(hardestPositive, hardestNegative,
                            terms.positiveNegativeSensitivities()) : null);
        }
        return new MinedTriplets(terms.values(), valid.sumNumber().doubleValue(),
                terms.active().sumNumber().doubleValue(), null, sensitivities);
    }
}
