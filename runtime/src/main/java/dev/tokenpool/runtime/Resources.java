package dev.tokenpool.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a component has opened so far (clients, threads, servers), closed in reverse order. A
 * component registers each resource the moment it opens it, so a start that fails half way closes
 * exactly what it had opened and leaves no thread behind to keep the JVM alive.
 */
public final class Resources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Resources.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Registers a resource just opened and hands it back. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes every resource, the last opened first; one that fails to close does not stop the others. */
    @Override
    public void close() {
        AutoCloseable next;
        while ((next = pop()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                log.warn("could not close {}: {}", next, e.toString());
            }
        }
    }

    private synchronized AutoCloseable pop() {
        return opened.poll();
    }
}
