package dev.tokenpool.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./tokenpool cluster [stop]}: starts the {@link LocalCluster} in {@code ./tokenpool-cluster-data} and
 * returns once it answers, leaving its seven processes running; {@code stop} stops them by the PIDs its
 * {@code cluster.json} names.
 */
public final class ClusterMain {
    static final Path DIR = Path.of("tokenpool-cluster-data");

    private ClusterMain() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "start" : args[0];
        switch (command) {
            case "start" -> start();
            case "stop" -> {
                List<String> stopped = LocalCluster.stop(DIR);
                System.out.println(stopped.isEmpty() ? "no tokenpool cluster runs from " + DIR : "stopped " + stopped);
            }
            default -> {
                System.err.println("usage: ./tokenpool cluster [start|stop]");
                System.exit(2);
            }
        }
    }

    private static void start() throws Exception {
        if (LocalCluster.running(DIR)) {
            System.err.println("a tokenpool cluster runs already from " + DIR + " (see "
                    + DIR.resolve(LocalCluster.DESCRIPTION) + "); ./tokenpool cluster stop stops it");
            System.exit(1);
        }
        Path jar = Path.of(ClusterMain.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        String classPath = jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + "/*";
        LocalCluster cluster = new LocalCluster(DIR, LocalCluster.Ports.standard(), classPath, Map.of());
        System.out.println(
                "starting 3 Kafka nodes, 2 processors and 2 gateways (logs in " + DIR.resolve("logs") + ") ...");
        try {
            cluster.start(Duration.ofMinutes(5));
        } catch (Exception e) {
            System.err.println("the cluster did not start: " + e.getMessage());
            cluster.stop();
            System.exit(1);
        }
        System.out.printf(
                """

                tokenpool cluster is running (./tokenpool cluster stop stops it; data stays in %3$s)
                  gateways:  %1$s/v3/submission/tokens   %2$s/v3/submission/tokens
                  Kafka:     %4$s
                  demo project API key: %5$s   (also in %3$s/demo-api-key)
                  admin key:            in %3$s/admin-key
                  every process, its ports, PID and log: %3$s/%6$s

                """,
                cluster.gatewayUrl(0),
                cluster.gatewayUrl(1),
                cluster.dir(),
                cluster.bootstrapServers(),
                cluster.demoApiKey(),
                LocalCluster.DESCRIPTION);
        System.exit(0);
    }
}
