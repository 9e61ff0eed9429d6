package dev.tokenpool.standalone;

import dev.tokenpool.gateway.MasterKeys;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone's master key when TOKENPOOL_MASTER_KEY is not set: generated once and kept in the
 * data directory (readable by its owner only), so sealed secret keys still open after a restart.
 * Fine for trying tokenpool; a deployment gives every gateway the same key from its secret store.
 */
final class LocalMasterKey {
    private static final Logger log = LoggerFactory.getLogger(LocalMasterKey.class);

    private LocalMasterKey() {}

    /** The key kept in the data directory, made the first time; its value as TOKENPOOL_MASTER_KEY takes it. */
    static String ensure(Path dataDir) throws IOException {
        Path file = dataDir.resolve("master-key");
        String key = SecretFile.readOrCreate(file, MasterKeys::generate);
        log.warn(
                "{} is not set: secret keys are sealed under the key kept in {} (set it to one key shared by every gateway "
                        + "in a deployment)",
                MasterKeys.VARIABLE,
                file);
        return key;
    }
}
