package dev.tokenpool.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A project in the registry (compacted topic, key = project ID). The API key is kept only as its
 * SHA-256 hash. {@code poolLimit} is the most tokens the project's pool may hold.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectRecord(int version, String projectId, String name, String apiKeyHash, long poolLimit,
                            String createdAt, String updatedAt) {
    public static final int VERSION = 1;

    public ProjectRecord {
        if (!ProjectIds.isValid(projectId)) {
            throw new IllegalArgumentException("invalid project ID: " + projectId);
        }
        if (poolLimit < 1) {
            throw new IllegalArgumentException("poolLimit must be at least 1");
        }
    }

    /**
     * A new project without an API key, for producers and tests that write the registry themselves
     * (the admin API issues the key of the projects it creates).
     */
    public static ProjectRecord of(String projectId, String name, long poolLimit) {
        String now = Timestamps.now();
        return new ProjectRecord(VERSION, projectId, name, null, poolLimit, now, now);
    }

    public ProjectRecord withName(String newName, String now) {
        return new ProjectRecord(VERSION, projectId, newName, apiKeyHash, poolLimit, createdAt, now);
    }

    public ProjectRecord withPoolLimit(long newLimit, String now) {
        return new ProjectRecord(VERSION, projectId, name, apiKeyHash, newLimit, createdAt, now);
    }

    public ProjectRecord withApiKeyHash(String newHash, String now) {
        return new ProjectRecord(VERSION, projectId, name, newHash, poolLimit, createdAt, now);
    }
}
