package dev.tokenpool.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests (bytes, request lines, headers, encodings, methods, bodies) sent
 * over raw sockets to the standalone: every one is answered with a 4xx or its connection closed, in
 * time; none gets a 5xx or hangs; the process's memory stays flat. The one exception allowed: a request
 * line in an HTTP version other than 1.0 or 1.1 gets Vert.x's own 501 (Not Implemented), which no
 * handler can change.
 */
class HttpFuzzIT {
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 2_000);
    static final String PATH = "/v3/submission/tokens";

    @Test
    void shouldAnswerEveryMalformedRequestWithoutA5xxOrAHang() throws Exception {
        try (StandaloneProcess standalone = new StandaloneProcess(
                DataDirs.dir("tokenpool-fuzz").resolve("data"),
                StandaloneProcess.env(
                        "TOKENPOOL_HTTP_READ_TIMEOUT_MS", "1000", "TOKENPOOL_HTTP_IDLE_TIMEOUT_MS", "2000"))) {
            standalone.start();
            String key = standalone.demoApiKey();
            List<Function<Random, String>> kinds = kinds(key);
            fuzz(standalone.httpPort, kinds, 200, new ConcurrentHashMap<>()); // warm up before measuring memory
            long rssBefore = standalone.rssKb();

            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            List<String> failures = fuzz(standalone.httpPort, kinds, REQUESTS, outcomes);
            long rssAfter = standalone.rssKb();

            System.out.printf(
                    "fuzz: %d requests of %d kinds, outcomes %s; RSS %d MB -> %d MB%n",
                    REQUESTS, kinds.size(), outcomes, rssBefore / 1024, rssAfter / 1024);
            assertThat(failures).as("5xx answers or hangs").isEmpty();
            assertThat(rssAfter)
                    .as("RSS after the fuzz run (KB), before: %d", rssBefore)
                    .isLessThan(rssBefore * 3 / 2);
            assertThat(standalone.get("/health/ready").statusCode())
                    .as("still ready")
                    .isEqualTo(200);
        }
    }

    /** Sends {@code count} requests of random kinds, 16 at a time; returns the requests that failed the rules. */
    private static List<String> fuzz(
            int port, List<Function<Random, String>> kinds, int count, Map<String, AtomicInteger> outcomes)
            throws Exception {
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long seed = i;
                sent.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    String request = kinds.get(random.nextInt(kinds.size())).apply(random);
                    String outcome = exchange(port, request);
                    if (outcome.equals("501") && !request.matches("(?s)[^\\r\\n]* HTTP/1\\.[01]\\r\\n.*")) {
                        outcome = "501 HTTP version"; // Vert.x's own, protocol-correct answer to a version it does not
                        // speak
                    }
                    outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                    if (outcome.matches("5\\d\\d") || outcome.startsWith("hang")) {
                        failures.add(outcome + " for " + abbreviate(request));
                    }
                    return null;
                }));
            }
            for (Future<?> request : sent) {
                request.get();
            }
        }
        return failures;
    }

    /** The status code answered, "closed" when the server closed the connection without one, or "hang". */
    static String exchange(int port, String request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(6_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                return "closed"; // the server stopped reading (e.g. a head far over its limit)
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    head.write(b);
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    if (text.startsWith("HTTP/") && text.length() >= 12) {
                        return text.substring(9, 12);
                    }
                }
                return "closed";
            } catch (SocketTimeoutException e) {
                return head.size() == 0
                        ? "hang"
                        : "hang after " + head.size() + " bytes: "
                                + abbreviate(head.toString(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return "closed";
            }
        } catch (IOException e) {
            return "refused";
        }
    }

    private static List<Function<Random, String>> kinds(String key) {
        String auth = "x-api-key: " + key + "\r\n";
        List<Function<Random, String>> kinds = new ArrayList<>();
        kinds.add(r -> randomBytes(r, 1 + r.nextInt(2_000)));
        kinds.add(r -> pick(r, "FOO", "get", "G\u0000T", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PUT", "HEAD") + " "
                + PATH + " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n");
        kinds.add(r -> "GET " + PATH + "?"
                + pick(
                        r,
                        "tokenId=%zz",
                        "tokenId=%",
                        "0%%=",
                        "tokenId=%E0%A4%A",
                        "tokenId=a%00b",
                        "tokenId=" + "x".repeat(5_000),
                        "tokenId=user001a&tokenId=user001a",
                        "=&=&",
                        "tokenId=%2525")
                + " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n");
        kinds.add(r -> "GET "
                + pick(
                        r,
                        "/" + "a".repeat(9_000),
                        "/../../etc/passwd",
                        "/v3/submission/tokens/../x",
                        "//v3//submission",
                        "/%zz",
                        "*",
                        "http://evil/v3/submission/tokens",
                        "/v3/submission/tokens%00")
                + " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n");
        kinds.add(
                r -> pick(r, "GET " + PATH, "GET " + PATH + " HTTP/9.9", "GET " + PATH + " HTTX/1.1", "GET", "\r\n\r\n")
                        + "\r\nHost: x\r\n" + auth + "\r\n");
        kinds.add(r -> "GET " + PATH + "?tokenId=user001a HTTP/1.1\r\nHost: x\r\n" + auth
                + pick(
                        r,
                        "X-Big: " + "b".repeat(20_000) + "\r\n",
                        "no colon here\r\n",
                        "x-api-key: " + "k".repeat(10_000) + "\r\n",
                        ": empty name\r\n",
                        "x-api-key: t\u00e9st\u00ff\r\n",
                        "Content-Length: -5\r\n",
                        "Content-Length: abc\r\n")
                + "Connection: close\r\n\r\n");
        kinds.add(r -> {
            String body = pick(
                    r,
                    "{",
                    "[]",
                    "null",
                    "{\"tokenId\":",
                    "{\"tokenId\":[" + "[".repeat(5_000) + "]}",
                    "{\"tokenId\":[1e999999]}",
                    "{\"tokenId\":[\"\\ud800\"]}",
                    "{\"tokenId\":[\"user001a\"],}",
                    "\u00ff\u00fe\u0000",
                    "{\"count\":99999999999999999999,\"order\":\"asc\"}",
                    "{\"count\":1.5,\"order\":\"asc\"}",
                    "{\"tokenId\":" + tokenIds(501) + "}",
                    "{\"tokenId\":[\"user001a\"],\"tokenId\":[\"x\"]}",
                    "{\"a\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101));
            return pick(r, "POST", "DELETE") + " " + PATH + " HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: "
                    + pick(r, "text/plain", "application/json", "application/x-www-form-urlencoded", "", "a/b;c=d")
                    + "\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length
                    + "\r\nConnection: close\r\n\r\n" + body;
        });
        kinds.add(
                r -> "POST " + PATH + " HTTP/1.1\r\nHost: x\r\n" + auth
                        + pick(
                                r,
                                "Content-Length: 50\r\n\r\n{\"tokenId\":", // body never finished
                                "Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n", // bad chunk size
                                "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n", // both framings
                                "Content-Length: 5\r\nContent-Length: 7\r\n\r\n{\"a\":1}", // two lengths
                                "Content-Length: 999999999999\r\n\r\n{}")); // far over the cap
        kinds.add(r -> "POST /admin/projects HTTP/1.1\r\nHost: x\r\nx-admin-key: "
                + pick(r, StandaloneProcess.ADMIN_KEY, "", "nope")
                + "\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n"
                + pick(r, "{\"name\":1", "[1,2,3,4]"));
        return kinds;
    }

    private static String tokenIds(int n) {
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            ids.append(i == 0 ? "" : ",").append("\"fuzz-token-").append(i).append('"');
        }
        return ids.append(']').toString();
    }

    private static String randomBytes(Random random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) random.nextInt(256);
        }
        return new String(chars);
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String abbreviate(String request) {
        String flat = request.replaceAll("[^\\x20-\\x7e]", "?");
        return flat.length() <= 120 ? flat : flat.substring(0, 120) + "…";
    }
}
