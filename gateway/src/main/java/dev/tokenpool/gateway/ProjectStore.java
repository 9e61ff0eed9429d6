package dev.tokenpool.gateway;

import dev.tokenpool.schemas.ProjectRecord;
import java.util.Collection;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The project registry as the admin and token APIs use it. */
interface ProjectStore {
    Optional<ProjectRecord> byApiKey(String apiKey);

    Optional<ProjectRecord> byId(String projectId);

    Collection<ProjectRecord> all();

    /** Writes a new project. Blocks until Kafka has it. */
    void create(ProjectRecord project) throws Exception;

    /**
     * Applies {@code change} to the project's latest record and writes the result, as one step: the
     * change sees every write made before it, so two updates never undo each other. Empty when there
     * is no such project. A change that returns the record it was given writes nothing. Blocks until Kafka has it.
     */
    Optional<ProjectRecord> update(String projectId, UnaryOperator<ProjectRecord> change) throws Exception;
}
