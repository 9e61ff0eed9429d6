package dev.tokenpool.processor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each partition's pool stores have committed, as an offset of the commands topic: once
 * {@link #committedThrough(int)} reaches a command's offset, a READ_COMMITTED read of the stores sees
 * that command's writes. The stream thread notes each command it processes; each pool store, once its
 * part of a commit is written ({@link CommitReportingStore}), records the last command processed. A
 * store commits only after the Kafka transaction did, and nothing is processed in between, so that
 * command and every one before it are in the commit. (A transaction that fails never reaches the
 * stores: they roll back, the watermark stays where it was, and the task that reopens them starts
 * over from unknown.)
 */
final class CommittedCommands {
    private final List<String> stores;
    private final Map<Integer, Long> processed = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, Long>> committed = new ConcurrentHashMap<>();

    CommittedCommands(List<String> stores) {
        this.stores = List.copyOf(stores);
        stores.forEach(store -> committed.put(store, new ConcurrentHashMap<>()));
    }

    /**
     * {@code store} of {@code partition} was opened or closed here (a task starts, moves away, or restarts
     * after a failure rolled its stores back): what was noted may not hold, so the partition starts over
     * unknown.
     */
    void forget(String store, int partition) {
        processed.remove(partition);
        committed.get(store).remove(partition);
    }

    /** The stream thread processed the command at {@code offset} of {@code partition}. */
    void processed(int partition, long offset) {
        processed.put(partition, offset);
    }

    /** {@code store} of {@code partition} committed: everything processed so far is in it. */
    void committed(String store, int partition) {
        Long through = processed.get(partition);
        if (through != null) {
            committed.get(store).merge(partition, through, Math::max);
        }
    }

    /** Whether an active task here processed a command of {@code partition} since its stores opened. */
    boolean processing(int partition) {
        return processed.containsKey(partition);
    }

    /** The offset through which every pool store of {@code partition} has committed; -1 when unknown. */
    long committedThrough(int partition) {
        long through = Long.MAX_VALUE;
        for (String store : stores) {
            through = Math.min(through, committed.get(store).getOrDefault(partition, -1L));
        }
        return through;
    }
}
