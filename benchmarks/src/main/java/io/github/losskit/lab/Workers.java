package io.github.losskit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent training runs on a few Java threads, each run on one ND4J thread (see {@link ThreadLimit}).
 * Every run owns its network, its data and its random generators, so the results do not depend on the number
 * of threads or on the order the runs finish in.
 */
final class Workers {

    private Workers() {
    }

    /** The default of the --threads options: one per core. */
    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The tasks' results in the tasks' order; the first failure is rethrown. */
    static <T> List<T> run(int threads, List<Callable<T>> tasks) {
        if (threads <= 1 || tasks.size() <= 1) {
            List<T> results = new ArrayList<>();
            for (Callable<T> task : tasks) {
                results.add(call(task));
            }
            return results;
        }
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), runnable -> {
            Thread thread = new Thread(runnable, "losskit-worker-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
