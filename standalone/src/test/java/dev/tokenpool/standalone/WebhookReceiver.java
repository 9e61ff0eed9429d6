package dev.tokenpool.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A webhook endpoint for the tests, on a plain socket so that it can misbehave in every way a real one does: answer
 * any status, answer late, or close the connection without a word. It keeps every request it read, with the behaviour
 * it answered it with; {@link #behaviour} decides per request (by its number, from 1).
 */
final class WebhookReceiver implements AutoCloseable {
    /** What the receiver does with one request. */
    sealed interface Behaviour {
        record Answer(int status) implements Behaviour {}

        record Late(Duration delay, int status) implements Behaviour {}

        record Hang() implements Behaviour {}

        record Close() implements Behaviour {}
    }

    static final Behaviour OK = new Behaviour.Answer(200);

    record Request(int number, Map<String, String> headers, byte[] body, Behaviour answered, long receivedAtMillis) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean delivered() {
            return answered instanceof Behaviour.Answer(int status) && status / 100 == 2;
        }
    }

    private final ServerSocket server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Function<Integer, Behaviour> behaviour;
    private int count;

    WebhookReceiver(Function<Integer, Behaviour> behaviour) throws IOException {
        this(0, behaviour);
    }

    WebhookReceiver(int port, Function<Integer, Behaviour> behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("webhook-receiver").start(this::accept);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    void behave(Function<Integer, Behaviour> next) {
        this.behaviour = next;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    List<Request> delivered() {
        return requests().stream().filter(Request::delivered).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            while (true) {
                Map<String, String> headers = head(in);
                if (headers == null) {
                    return;
                }
                byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                Behaviour answer;
                int number;
                synchronized (this) {
                    number = ++count;
                    answer = behaviour.apply(number);
                }
                requests.add(new Request(number, headers, body, answer, System.currentTimeMillis()));
                switch (answer) {
                    case Behaviour.Close close -> {
                        return;
                    }
                    case Behaviour.Hang hang -> {
                        Thread.sleep(Duration.ofMinutes(5));
                        return;
                    }
                    case Behaviour.Late(Duration delay, int status) -> {
                        Thread.sleep(delay);
                        respond(out, status);
                    }
                    case Behaviour.Answer(int status) -> respond(out, status);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the sender gave up on this connection
        }
    }

    private static void respond(OutputStream out, int status) throws IOException {
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The request head's headers (lower-case names); null at the end of the connection. */
    private static Map<String, String> head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Map<String, String> headers = new TreeMap<>();
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        headers.put(":request-line", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (SocketException e) {
                // already closed
            }
        }
    }
}
