package dev.tokenpool.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps slow or greedy clients from holding the gateway's connections (Slowloris and the like).
 * <ul>
 *   <li>A request head must arrive within {@code headTimeout} of the connection's accept, or of the answer to its
 *       previous request; a connection that misses it is closed. (The idle timeout alone restarts with every byte,
 *       so a byte every few seconds would hold a connection for ever.)</li>
 *   <li>One remote address holds at most {@code maxPerAddress} connections, and all at most {@code max}.</li>
 *   <li>When a new connection would pass either cap, the oldest connection still waiting for its request head
 *       (of that address, or of all) is closed to make room: connections that are trickling a head lose their
 *       place to one that may send a request at once. Only when every connection is busy with a request is the
 *       new one closed.</li>
 * </ul>
 * Vert.x hands a connection over at accept, before its first request head; handlers of one connection run on
 * its event loop, the tables here are shared by all event loops.
 */
final class ConnectionGuard {
    /** Why a connection was closed before it was answered, for the refusal metric. */
    enum Refusal {
        CONNECTIONS,
        HEAD_TIMEOUT
    }

    private final Vertx vertx;
    private final int max;
    private final int maxPerAddress;
    private final Duration headTimeout;
    private final java.util.function.Consumer<Refusal> refused;
    /** Every open connection, by remote address. */
    private final Map<String, Set<HttpConnection>> byAddress = new HashMap<>();
    /** Connections waiting for a request head, oldest first. */
    private final Set<HttpConnection> waitingForHead = new LinkedHashSet<>();

    private final Map<HttpConnection, Long> headTimers = new HashMap<>();
    private int open;

    ConnectionGuard(
            Vertx vertx,
            int max,
            int maxPerAddress,
            Duration headTimeout,
            java.util.function.Consumer<Refusal> refused) {
        this.vertx = vertx;
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.headTimeout = headTimeout;
        this.refused = refused;
    }

    /** A connection was accepted: count it, make room or refuse it, and start the wait for its first head. */
    void accepted(HttpConnection connection) {
        String address = address(connection);
        HttpConnection evicted = null;
        synchronized (this) {
            Set<HttpConnection> mine = byAddress.computeIfAbsent(address, a -> new LinkedHashSet<>());
            if (mine.size() >= maxPerAddress) {
                evicted = oldestWaiting(mine);
            } else if (open >= max) {
                evicted = oldestWaiting(waitingForHead);
            }
            boolean full = mine.size() >= maxPerAddress || open >= max;
            if (full && evicted == null) {
                if (mine.isEmpty()) {
                    byAddress.remove(address);
                }
                refused.accept(Refusal.CONNECTIONS);
                connection.close();
                return;
            }
            if (evicted != null) {
                forget(evicted);
            }
            mine.add(connection);
            open++;
        }
        if (evicted != null) {
            refused.accept(Refusal.CONNECTIONS);
            evicted.close();
        }
        connection.closeHandler(v -> closed(connection));
        awaitHead(connection);
    }

    /** A request head arrived: its connection no longer waits for one. */
    void headArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        Long timer;
        synchronized (this) {
            waitingForHead.remove(connection);
            timer = headTimers.remove(connection);
        }
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        // bodyEndHandler: the response's one endHandler is the request metrics' (TokenApi).
        request.response().bodyEndHandler(v -> awaitHead(connection));
    }

    /** The connection waits for its next request head, for at most the head timeout. */
    private void awaitHead(HttpConnection connection) {
        synchronized (this) {
            if (!isOpen(connection)) {
                return;
            }
            waitingForHead.add(connection);
        }
        long timer = vertx.setTimer(headTimeout.toMillis(), id -> {
            boolean late;
            synchronized (this) {
                late = headTimers.remove(connection) != null && waitingForHead.contains(connection);
            }
            if (late) {
                refused.accept(Refusal.HEAD_TIMEOUT);
                connection.close();
            }
        });
        synchronized (this) {
            if (isOpen(connection) && waitingForHead.contains(connection)) {
                headTimers.put(connection, timer);
                return;
            }
        }
        vertx.cancelTimer(timer);
    }

    private void closed(HttpConnection connection) {
        Long timer;
        synchronized (this) {
            timer = forget(connection);
        }
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    /** Removes the connection from every table; its pending head timer, if any. */
    private Long forget(HttpConnection connection) {
        Set<HttpConnection> mine = byAddress.get(address(connection));
        if (mine != null && mine.remove(connection)) {
            open--;
            if (mine.isEmpty()) {
                byAddress.remove(address(connection));
            }
        }
        waitingForHead.remove(connection);
        return headTimers.remove(connection);
    }

    private boolean isOpen(HttpConnection connection) {
        Set<HttpConnection> mine = byAddress.get(address(connection));
        return mine != null && mine.contains(connection);
    }

    /** The oldest of {@code among} (in accept order) that waits for a request head; null when all are busy. */
    private HttpConnection oldestWaiting(Set<HttpConnection> among) {
        for (HttpConnection connection : among) {
            if (waitingForHead.contains(connection)) {
                return connection;
            }
        }
        return null;
    }

    synchronized int open() {
        return open;
    }

    private static String address(HttpConnection connection) {
        return connection.remoteAddress() == null
                ? "?"
                : connection.remoteAddress().hostAddress();
    }
}
