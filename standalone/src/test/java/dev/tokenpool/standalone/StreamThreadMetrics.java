package dev.tokenpool.standalone;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Stream thread metrics of the processors running in this JVM, read from their MBeans. */
final class StreamThreadMetrics {
    private StreamThreadMetrics() {}

    /** {@code attribute} (e.g. process-total) summed over the stream threads of application {@code applicationId}. */
    static long total(String applicationId, String attribute) throws Exception {
        return perInstance(applicationId, attribute).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** {@code attribute} per processor instance (its client ID) of application {@code applicationId}. */
    static Map<String, Long> perInstance(String applicationId, String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> values = new HashMap<>();
        for (ObjectName thread :
                server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
            String threadId = thread.getKeyProperty("thread-id");
            // A thread has more than one MBean of this type (some gauges carry further tags): the one with the
            // attribute counts.
            boolean hasIt = Arrays.stream(server.getMBeanInfo(thread).getAttributes())
                    .anyMatch(info -> info.getName().equals(attribute));
            if (hasIt && threadId.startsWith(applicationId + "-")) {
                values.merge(
                        threadId.replaceFirst("-StreamThread-\\d+$", ""),
                        ((Number) server.getAttribute(thread, attribute)).longValue(),
                        Long::sum);
            }
        }
        return values;
    }

    /** Stream threads of application {@code applicationId} that failed since their client started (Kafka's failed-stream-threads). */
    static long failedThreads(String applicationId) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long failed = 0;
        for (ObjectName client : server.queryNames(new ObjectName("kafka.streams:type=stream-metrics,*"), null)) {
            boolean hasIt = Arrays.stream(server.getMBeanInfo(client).getAttributes())
                    .anyMatch(info -> info.getName().equals("failed-stream-threads"));
            if (hasIt && client.getKeyProperty("client-id").startsWith(applicationId + "-")) {
                failed += ((Number) server.getAttribute(client, "failed-stream-threads")).longValue();
            }
        }
        return failed;
    }
}
