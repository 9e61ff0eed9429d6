package dev.tokenpool.standalone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the answers of a load run promise about every token ID it sent: an acknowledged add means it
 * is in the pool, an acknowledged delete that it is not; a request that got no answer (a crash, a
 * 504) leaves its tokens uncertain until they are looked at.
 */
final class Ledger {
    enum Fate {
        PRESENT,
        ABSENT,
        UNCERTAIN
    }

    /** How a request ended: acknowledged (200), refused with "nothing was applied" (503), or unknown. */
    enum Outcome {
        ACKNOWLEDGED,
        NOT_APPLIED,
        UNKNOWN
    }

    private final Map<String, Fate> tokens = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong notApplied = new AtomicLong();
    /** Acknowledged tokens a later delete did not find: lost writes, seen while the load ran. */
    final List<String> lostOnDelete = java.util.Collections.synchronizedList(new ArrayList<>());

    /** New token IDs sent in one add (they were in no pool before). */
    void added(Collection<String> ids, Outcome outcome) {
        count(outcome);
        Fate fate = switch (outcome) {
            case ACKNOWLEDGED -> Fate.PRESENT;
            case NOT_APPLIED -> Fate.ABSENT;
            case UNKNOWN -> Fate.UNCERTAIN;
        };
        ids.forEach(id -> tokens.put(id, fate));
    }

    /** Token IDs (all present before) sent in one delete. */
    void deleted(Collection<String> ids, Collection<String> notFound, Outcome outcome) {
        count(outcome);
        for (String id : ids) {
            if (outcome == Outcome.ACKNOWLEDGED && notFound.contains(id)) {
                lostOnDelete.add(id);
            }
            tokens.put(
                    id,
                    switch (outcome) {
                        case ACKNOWLEDGED -> Fate.ABSENT;
                        case NOT_APPLIED -> Fate.PRESENT;
                        case UNKNOWN -> Fate.UNCERTAIN;
                    });
        }
    }

    /** After a look at the pool: what was uncertain is now known. */
    void observed(String id, boolean present) {
        tokens.put(id, present ? Fate.PRESENT : Fate.ABSENT);
    }

    Map<String, Fate> snapshot() {
        return Map.copyOf(tokens);
    }

    private void count(Outcome outcome) {
        requests.incrementAndGet();
        (outcome == Outcome.ACKNOWLEDGED
                        ? acknowledged
                        : outcome == Outcome.NOT_APPLIED ? notApplied : new AtomicLong())
                .incrementAndGet();
    }
}
