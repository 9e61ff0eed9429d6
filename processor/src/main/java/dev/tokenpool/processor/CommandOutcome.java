package dev.tokenpool.processor;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What one command record does, worked out before any of it is done: the pool writes it staged and the records it
 * sends (its result or dead letter, events, audit). Working it out reads the stores and writes nothing, so a
 * command that fails half way leaves no trace; {@link #apply} then writes and sends it all, in the transaction of
 * the command, where only Kafka itself can still fail.
 */
final class CommandOutcome implements Outbox {
    private record Send(Record<String, Object> record, String sinkNode) {}

    private final List<Send> sends = new ArrayList<>();
    private PoolStores.Staged writes;
    private StagedStore results;

    @Override
    public void send(Record<String, Object> record, String sinkNode) {
        sends.add(new Send(record, sinkNode));
    }

    void write(PoolStores.Staged staged) {
        writes = staged;
    }

    /** The stored result of a command with an idempotency key, written with the pool. */
    void writeResults(StagedStore storedResults) {
        results = storedResults;
    }

    /** Whether the command writes to a pool. */
    boolean writesPool() {
        return writes != null;
    }

    void apply(ProcessorContext<String, Object> context) {
        if (writes != null) {
            writes.flush();
        }
        if (results != null) {
            results.flush();
        }
        sends.forEach(send -> context.forward(send.record(), send.sinkNode()));
    }
}
