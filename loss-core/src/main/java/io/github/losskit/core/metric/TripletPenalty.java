package io.github.losskit.core.metric;

/** How a triplet's distances d(a,p) and d(a,n) become its loss. */
public enum TripletPenalty {
    /** max(0, margin + d(a,p) - d(a,n)), as PyTorch's {@code TripletMarginLoss}. */
    HINGE,
    /**
     * log(1 + exp(d(a,p) - d(a,n))) (Hermans et al. 2017): never exactly 0, so every triplet keeps pulling; no
     * margin (except as the band of {@link Mining#SEMI_HARD}).
     */
    SOFT_MARGIN
}
