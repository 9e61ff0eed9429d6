package dev.tokenpool.standalone;

import dev.tokenpool.runtime.ServiceMain;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Kafka node of a local cluster in a JVM of its own, as {@link LocalCluster} starts it:
 * {@code BrokerMain DATA_DIR NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID [name=value …]}, the last being broker
 * settings (replication).
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println(
                    "usage: BrokerMain DATA_DIR NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID [name=value …]");
            System.exit(2);
        }
        Map<String, String> settings = new HashMap<>();
        for (String setting : List.of(args).subList(6, args.length)) {
            int equals = setting.indexOf('=');
            settings.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        ServiceMain.run(
                "broker " + args[1],
                resources -> resources.add(EmbeddedKafka.startClusterNode(
                        Path.of(args[0]),
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]),
                        args[4],
                        args[5],
                        settings)));
    }
}
