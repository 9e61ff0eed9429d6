package dev.tokenpool.gateway;

import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.RateLimit;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** The project store of the unit tests: a {@link ProjectDirectory} written in order, without Kafka. */
final class InMemoryProjects implements ProjectStore {
    final ProjectDirectory directory = new ProjectDirectory();
    private final AtomicLong offset = new AtomicLong();

    /** Adds a project with a fresh API key and returns the key. */
    String add(String projectId, long poolLimit) {
        String apiKey = ApiKeys.generate();
        directory.apply(
                projectId,
                ProjectRecord.create(projectId, projectId, ApiKeys.hash(apiKey), poolLimit),
                offset.incrementAndGet());
        return apiKey;
    }

    /** Adds a project with these request limits and a fresh API key; returns the key. */
    String add(String projectId, RateLimit limit) {
        String apiKey = ApiKeys.generate();
        directory.apply(
                projectId,
                ProjectRecord.create(projectId, projectId, ApiKeys.hash(apiKey), PoolLimits.DEFAULT_POOL_LIMIT)
                        .withRateLimit(limit, "t"),
                offset.incrementAndGet());
        return apiKey;
    }

    String add(String projectId) {
        return add(projectId, PoolLimits.DEFAULT_POOL_LIMIT);
    }

    @Override
    public Optional<ProjectRecord> byApiKey(String apiKey) {
        return apiKey == null ? Optional.empty() : directory.byApiKeyHash(ApiKeys.hash(apiKey));
    }

    /** How many times a project was looked up by ID: tells a test that a request has reached the API. */
    final AtomicLong lookups = new AtomicLong();

    @Override
    public Optional<ProjectRecord> byId(String projectId) {
        lookups.incrementAndGet();
        return directory.byId(projectId);
    }

    @Override
    public Collection<ProjectRecord> all() {
        return directory.all();
    }

    @Override
    public void create(ProjectRecord project) {
        directory.apply(project.projectId(), project, offset.incrementAndGet());
    }

    @Override
    public synchronized Optional<ProjectRecord> update(String projectId, UnaryOperator<ProjectRecord> change) {
        Optional<ProjectRecord> updated = directory.byId(projectId).map(change);
        updated.ifPresent(this::create);
        return updated;
    }
}
