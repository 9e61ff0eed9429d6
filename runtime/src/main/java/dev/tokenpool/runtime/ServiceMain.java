package dev.tokenpool.runtime;

import java.net.BindException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every tokenpool process runs: the shutdown hook is installed before anything can
 * block, so Ctrl-C or SIGTERM stops a process cleanly even while it is still starting; a start that
 * fails closes what it opened, says why in one line and exits with status 1.
 */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    /** Starts a process's parts, registering every one in {@code resources} as soon as it is open. */
    @FunctionalInterface
    public interface Starter {
        void start(Resources resources) throws Exception;
    }

    private ServiceMain() {}

    public static void run(String name, Starter starter) throws InterruptedException {
        Resources resources = new Resources();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping {}", name);
                            resources.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        try {
            starter.start(resources);
        } catch (Exception e) {
            log.error("{} could not start: {}", name, reason(e));
            log.debug("start failure", e);
            resources.close();
            System.exit(1);
        }
        stopped.await();
    }

    /** A start failure in one line: the settings error or the innermost cause, not 80 frames. */
    static String reason(Throwable e) {
        if (e instanceof Env.BadSetting) {
            return e.getMessage();
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof BindException) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof BindException) {
            return "a port is already in use (" + message + "); stop what uses it or choose other ports";
        }
        return e == cause ? message : e.getMessage() + " (" + message + ")";
    }
}
