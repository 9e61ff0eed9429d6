package dev.tokenpool.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenpool.runtime.Deadline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on a real Vert.x server, wired as the gateway wires it, with clients on several loopback addresses
 * (127.0.0.2, 127.0.0.3 …: every 127.x address reaches this machine, each counts as a client of its own).
 */
class ConnectionGuardTest {
    static final Duration HEAD_TIMEOUT = Duration.ofMillis(400);
    final Vertx vertx = Vertx.vertx();
    final List<ConnectionGuard.Refusal> refusals = new CopyOnWriteArrayList<>();
    final List<Socket> sockets = new ArrayList<>();
    HttpServer server;

    void start(int max, int maxPerAddress) throws Exception {
        ConnectionGuard guard = new ConnectionGuard(vertx, max, maxPerAddress, HEAD_TIMEOUT, refusals::add);
        server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("0.0.0.0").setHttp2ClearTextEnabled(false))
                .connectionHandler(guard::accepted)
                .requestHandler(request -> {
                    guard.headArrived(request);
                    if (!request.path().equals("/hold")) { // /hold is a request that stays busy, unanswered
                        request.response().end("ok");
                    }
                })
                .listen(0)
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 2_000);
        socket.setSoTimeout(3_000);
        sockets.add(socket);
        return socket;
    }

    static String request(Socket socket, String path) throws IOException {
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[1024];
        StringBuilder answer = new StringBuilder();
        while (!answer.toString().endsWith("ok")) {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                break;
            }
            answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        return answer.toString();
    }

    /** Whether the server closed the connection (a read gives end of stream or a reset) within {@code within}. */
    static boolean closedWithin(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void shouldCloseAConnectionWhoseHeadTricklesInPastTheDeadline() throws Exception {
        start(100, 100);
        Socket slow = connect("127.0.0.2");
        long started = System.nanoTime();
        byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            for (byte b : head) { // a byte every 100 ms keeps an idle timeout from ever firing
                slow.getOutputStream().write(b);
                Thread.sleep(100);
            }
        } catch (IOException closed) {
            // the server closed the connection while the head was still coming: what this test wants
        }
        assertThat(closedWithin(slow, Duration.ofSeconds(2))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100L * head.length));
        assertThat(refusals).containsExactly(ConnectionGuard.Refusal.HEAD_TIMEOUT);
    }

    @Test
    void shouldGiveEachRequestOfAKeptAliveConnectionTheDeadline() throws Exception {
        start(100, 100);
        Socket client = connect("127.0.0.2");
        assertThat(request(client, "/")).endsWith("ok");
        assertThat(request(client, "/")).as("a second request in time").endsWith("ok");
        assertThat(closedWithin(client, HEAD_TIMEOUT.multipliedBy(4)))
                .as("then nothing: closed")
                .isTrue();
    }

    @Test
    void shouldMakeRoomForANewConnectionByClosingTheOldestThatWaitsForItsHead() throws Exception {
        start(100, 3);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idle.add(connect("127.0.0.2"));
            Thread.sleep(20);
        }
        Socket fresh = connect("127.0.0.2");
        assertThat(request(fresh, "/"))
                .as("a client of the same address gets in")
                .endsWith("ok");
        assertThat(closedWithin(idle.getFirst(), Duration.ofSeconds(1)))
                .as("the oldest idle one made room")
                .isTrue();
        assertThat(closedWithin(idle.get(2), Duration.ofMillis(100)))
                .as("the others stay")
                .isFalse();
    }

    @Test
    void shouldKeepOneAddressFromTakingEveryPlace() throws Exception {
        start(6, 3);
        for (int i = 0; i < 6; i++) {
            connect("127.0.0.2"); // only 3 may stay: each new one closes the oldest waiting one of its address
        }
        for (String other : List.of("127.0.0.3", "127.0.0.4", "127.0.0.5")) {
            assertThat(request(connect(other), "/")).as(other).endsWith("ok");
        }
        Deadline.await(
                Duration.ofSeconds(2),
                () -> refusals.stream()
                                .filter(r -> r == ConnectionGuard.Refusal.CONNECTIONS)
                                .count()
                        >= 3,
                () -> "three of 127.0.0.2 closed");
    }

    @Test
    void shouldRefuseANewConnectionWhenEveryPlaceIsBusyWithARequest() throws Exception {
        start(2, 2);
        for (int i = 0; i < 2; i++) {
            Socket busy = connect("127.0.0.2");
            busy.getOutputStream().write("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Thread.sleep(200);
        Socket late = connect("127.0.0.3");
        assertThat(closedWithin(late, Duration.ofSeconds(1))).isTrue();
        assertThat(refusals).contains(ConnectionGuard.Refusal.CONNECTIONS);
    }
}
