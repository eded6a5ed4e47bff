package io.github.losskit.benchmarks;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.factory.Nd4j;

/** Where a benchmarked call allocates: in the working-memory workspace {@code fit} uses, or on the heap. */
public enum WorkspaceMode {
    /** A workspace configured exactly as MultiLayerNetwork configures its layers' working memory in fit. */
    FIT,
    /** No workspace: every temporary is a fresh off-heap allocation. */
    NONE;

    private static final String WORKSPACE_ID = "LOSSKIT_BENCHMARK_WORKING_MEM";

    public <T> T run(Supplier<T> call) {
        if (this == NONE) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return call.get();
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(FitConfiguration.WORKING_MEMORY,
                WORKSPACE_ID)) {
            return call.get();
        }
    }

    /** Reads MultiLayerNetwork's own (protected) working-memory configuration, so the two cannot drift apart. */
    private static final class FitConfiguration extends MultiLayerNetwork {
        static final WorkspaceConfiguration WORKING_MEMORY = getLayerWorkingMemWSConfig(1);

        private FitConfiguration(MultiLayerConfiguration never) {
            super(never);
        }
    }
}
