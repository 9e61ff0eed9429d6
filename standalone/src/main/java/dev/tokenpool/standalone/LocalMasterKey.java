package dev.tokenpool.standalone;

import dev.tokenpool.gateway.MasterKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone's master key when TOKENPOOL_MASTER_KEY is not set: generated once and kept in the
 * data directory (readable by its owner only), so sealed secret keys still open after a restart.
 * Fine for trying tokenpool; a deployment gives every gateway the same key from its secret store.
 */
final class LocalMasterKey {
    private static final Logger log = LoggerFactory.getLogger(LocalMasterKey.class);

    private LocalMasterKey() {
    }

    static MasterKeys ensure(Path dataDir) throws IOException {
        Path file = dataDir.resolve("master-key");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            Files.writeString(file, MasterKeys.generate() + "\n", StandardCharsets.UTF_8);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }
        log.warn("{} is not set: secret keys are sealed under the key kept in {} (set it to one key shared by every gateway "
                + "in a deployment)", MasterKeys.VARIABLE, file);
        return MasterKeys.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
    }
}
