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
    enum Fate { PRESENT, ABSENT, UNCERTAIN }

    private final Map<String, Fate> tokens = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    /** Acknowledged tokens a later delete did not find: lost writes, seen while the load ran. */
    final List<String> lostOnDelete = java.util.Collections.synchronizedList(new ArrayList<>());

    void added(Collection<String> ids, boolean acknowledged) {
        count(acknowledged);
        ids.forEach(id -> tokens.put(id, acknowledged ? Fate.PRESENT : Fate.UNCERTAIN));
    }

    void deleted(Collection<String> ids, Collection<String> notFound, boolean acknowledged) {
        count(acknowledged);
        for (String id : ids) {
            if (acknowledged && notFound.contains(id)) {
                lostOnDelete.add(id);
            }
            tokens.put(id, acknowledged ? Fate.ABSENT : Fate.UNCERTAIN);
        }
    }

    /** After a look at the pool: what was uncertain is now known. */
    void observed(String id, boolean present) {
        tokens.put(id, present ? Fate.PRESENT : Fate.ABSENT);
    }

    Map<String, Fate> snapshot() {
        return Map.copyOf(tokens);
    }

    private void count(boolean ack) {
        requests.incrementAndGet();
        if (ack) {
            acknowledged.incrementAndGet();
        }
    }
}
