package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ProjectRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project registry as this gateway knows it: each project's latest record in topic order, and
 * an index from API key hash to project (projects reached over Kafka only have no key, and no entry). Order is the registry topic's offsets, as the processor
 * sees it, never wall-clock times: a record is applied only when its offset is later than that of
 * the project's record already held, so a gateway's own write (applied at once, with the offset Kafka
 * gave it) is not undone by an older record its reader reaches afterwards.
 */
final class ProjectDirectory {
    /** A project's latest record and its offset; a null project is a deletion (tombstone). */
    private record Entry(ProjectRecord project, long offset) {}

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByKeyHash = new ConcurrentHashMap<>();

    /** Applies the record found at {@code offset}; a null project deletes. False when a later one is held. */
    synchronized boolean apply(String projectId, ProjectRecord project, long offset) {
        Entry current = byId.get(projectId);
        if (current != null && current.offset() >= offset) {
            return false;
        }
        if (current != null && current.project() != null && current.project().apiKeyHash() != null) {
            idByKeyHash.remove(current.project().apiKeyHash(), projectId);
        }
        byId.put(projectId, new Entry(project, offset));
        if (project != null && project.apiKeyHash() != null) {
            idByKeyHash.put(project.apiKeyHash(), projectId);
        }
        return true;
    }

    Optional<ProjectRecord> byId(String projectId) {
        return Optional.ofNullable(byId.get(projectId)).map(Entry::project);
    }

    Optional<ProjectRecord> byApiKeyHash(String hash) {
        return Optional.ofNullable(idByKeyHash.get(hash))
                .flatMap(this::byId)
                .filter(project -> hash.equals(project.apiKeyHash()));
    }

    Collection<ProjectRecord> all() {
        return byId.values().stream()
                .map(Entry::project)
                .filter(Objects::nonNull)
                .toList();
    }

    int size() {
        return (int)
                byId.values().stream().filter(entry -> entry.project() != null).count();
    }
}
