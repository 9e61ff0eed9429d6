package dev.tokenpool.processor;

import dev.tokenpool.schemas.AuditRecord;
import dev.tokenpool.schemas.TokenExpiredEvent;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sends token events and audit records, keyed by project ID, in the transaction of the writes they describe. */
final class Outbox {
    private final ProcessorContext<String, Object> context;

    Outbox(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    void events(String projectId, List<TokenExpiredEvent> events, long timestamp) {
        for (TokenExpiredEvent event : events) {
            context.forward(new Record<String, Object>(projectId, event, timestamp), TokenPoolTopology.EVENTS_SINK_NODE);
        }
    }

    void audit(AuditRecord audit, long timestamp) {
        context.forward(new Record<String, Object>(audit.projectId(), audit, timestamp), TokenPoolTopology.AUDIT_SINK_NODE);
    }
}
