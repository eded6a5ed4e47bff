package io.github.losskit.lab;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the lab's small networks on one ND4J thread: their arrays are too small to gain from threads, and one
 * thread takes the core count out of the numbers (see FocalDemo). Idle threads that spin are another matter,
 * settled by OMP_WAIT_POLICY before the JVM starts (the losskit launcher sets it).
 */
final class ThreadLimit {

    private ThreadLimit() {
    }

    static <T> T singleThreaded(Supplier<T> work) {
        Environment environment = Nd4j.getEnvironment();
        int threads = environment.maxThreads();
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        environment.setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        try {
            return work.get();
        } finally {
            environment.setMaxThreads(threads);
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }
}
