package dev.tokenpool.standalone;

import dev.tokenpool.gateway.ApiKeys;
import dev.tokenpool.gateway.Gateway;
import dev.tokenpool.schemas.PoolLimits;
import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo project of standalone mode. The registry keeps only the hash of its API key, so the key
 * itself is kept in the data directory to be shown again at every start.
 */
final class DemoProject {
    static final String ID = "demo";

    private DemoProject() {}

    /** The demo project's API key, creating the project (or a new key) when needed. */
    static String ensure(Gateway gateway, Path dataDir) throws Exception {
        Path keyFile = dataDir.resolve("demo-api-key");
        String apiKey = Files.exists(keyFile)
                ? Files.readString(keyFile, StandardCharsets.UTF_8).trim()
                : null;
        ProjectRecord existing = gateway.project(ID).orElse(null);
        if (existing != null && apiKey != null && ApiKeys.hash(apiKey).equals(existing.apiKeyHash())) {
            return apiKey;
        }
        apiKey = ApiKeys.generate();
        ProjectRecord project = existing != null
                ? existing.withApiKeyHash(ApiKeys.hash(apiKey), Timestamps.now())
                : ProjectRecord.create(ID, "Demo project", ApiKeys.hash(apiKey), PoolLimits.DEFAULT_POOL_LIMIT);
        gateway.saveProject(project);
        SecretFile.write(keyFile, apiKey);
        return apiKey;
    }
}
