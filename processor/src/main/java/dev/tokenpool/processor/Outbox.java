package dev.tokenpool.processor;

import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.TokenEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where the records of a command or a rule go, keyed by project ID, in the transaction of the writes they
 * describe: straight to the topology's sinks (a rule's round), or into a {@link CommandOutcome} that is sent only
 * once the whole command was worked out.
 */
@FunctionalInterface
interface Outbox {
    void send(Record<String, Object> record, String sinkNode);

    default void events(String projectId, List<TokenEvent> events, long timestamp) {
        for (TokenEvent event : events) {
            send(new Record<>(projectId, event, timestamp), TokenPoolTopology.EVENTS_SINK_NODE);
        }
    }

    default void audit(AuditRecord audit, long timestamp) {
        send(new Record<>(audit.projectId(), audit, timestamp), TokenPoolTopology.AUDIT_SINK_NODE);
    }
}
