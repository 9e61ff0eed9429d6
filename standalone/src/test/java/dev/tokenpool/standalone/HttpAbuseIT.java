package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to take the gateway from everyone else, against a standalone with a 512 MB heap, each attack
 * from other addresses of this machine (every 127.x address reaches it, each one a client of its own): slow
 * request heads, and many slow 128 KiB bodies. Meanwhile a normal client is served, quickly, every time.
 */
class HttpAbuseIT {
    static StandaloneProcess standalone;
    static String apiKey;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = DataDirs.dir("tokenpool-abuse").resolve("data");
        standalone = new StandaloneProcess(dataDir, Map.of(), "512m");
        standalone.start();
        apiKey = standalone.demoApiKey();
    }

    @AfterAll
    static void stop() throws Exception {
        standalone.close();
    }

    @Test
    void shouldServeOthersWhileOneAddressTricklesTwoThousandRequestHeads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                Socket socket = connect("127.0.0.2");
                slow.add(socket);
                socket.getOutputStream()
                        .write("GET /v3/submission/tokens HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            for (int round = 0; round < 4; round++) {
                trickle(slow, "X");
                assertServedQuickly();
                Socket sameAddress = connect("127.0.0.2"); // a client of the attacker's address that sends at once
                assertThat(answer(sameAddress, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"))
                        .startsWith("HTTP/1.1 200");
                sameAddress.close();
                Thread.sleep(1_500);
            }
            assertThat(refused("head_timeout") + refused("connections"))
                    .as("slow heads were closed")
                    .isGreaterThan(1_000);
        } finally {
            closeAll(slow);
        }
    }

    @Test
    void shouldServeOthersWhileFiveThousandConnectionsSendLargeBodiesSlowly() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 5_000; i++) {
                Socket socket = connect("127.0.0." + (10 + i % 10));
                flood.add(socket);
                String head = "POST /v3/submission/tokens HTTP/1.1\r\nHost: x\r\nx-api-key: " + apiKey
                        + "\r\nContent-Type: text/plain\r\nContent-Length: 131072\r\n\r\n";
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            }
            for (int round = 0; round < 4; round++) {
                trickle(flood, "[".repeat(1_024));
                assertServedQuickly();
                Thread.sleep(1_000);
            }
            assertThat(refused("body_budget"))
                    .as("bodies past the budget were refused before being read")
                    .isGreaterThan(1_000);
            assertThat(standalone.isAlive()).isTrue();
        } finally {
            closeAll(flood);
        }
    }

    /** A normal client from 127.0.0.1: a registration and a lookup, each answered within 2 s. */
    void assertServedQuickly() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> added = http.send(
                HttpRequest.newBuilder(standalone.url("/v3/submission/tokens"))
                        .timeout(Duration.ofSeconds(5))
                        .header("x-api-key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"tokenId\":[\"normal-0001\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(standalone.url("/v3/submission/tokens?tokenId=normal-0001"))
                        .timeout(Duration.ofSeconds(5))
                        .header("x-api-key", apiKey)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }

    static Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", standalone.httpPort()), 5_000);
        return socket;
    }

    /** One more piece on every socket the gateway has not closed yet. */
    static void trickle(List<Socket> sockets, String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
        for (Socket socket : sockets) {
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException closed) {
                // the gateway closed it: the point
            }
        }
    }

    static String answer(Socket socket, String request) throws IOException {
        socket.setSoTimeout(3_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing what the gateway already closed
            }
        }
    }

    double refused(String reason) throws Exception {
        String metrics = http.send(
                        HttpRequest.newBuilder(standalone.url("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher value = Pattern.compile("(?m)^tokenpool_gateway_refused_total\\{reason=\"" + reason + "\"} (\\S+)$")
                .matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
