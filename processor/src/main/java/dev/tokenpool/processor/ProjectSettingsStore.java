package dev.tokenpool.processor;

import dev.tokenpool.schemas.ProjectRecord;
import dev.tokenpool.schemas.TokenPoolSerdes;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project registry as a global store: every processor instance holds every project's settings,
 * read from the compacted projects topic. Only registered projects are served, each with its own
 * pool limit.
 */
final class ProjectSettingsStore {
    static final String STORE = "project-settings";
    private static final Deserializer<ProjectRecord> PROJECTS =
            TokenPoolSerdes.project().deserializer();

    private ProjectSettingsStore() {}

    static StoreBuilder<KeyValueStore<String, byte[]>> builder() {
        // A global store is restored from its source topic, so it needs no changelog of its own.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled();
    }

    /** The project's latest settings, or empty when the registry does not know it (or deleted it). */
    static Optional<ProjectRecord> project(ReadOnlyKeyValueStore<String, byte[]> store, String projectId) {
        byte[] value = store.get(projectId);
        return value == null ? Optional.empty() : Optional.of(PROJECTS.deserialize(STORE, value));
    }

    /** Keeps the global store in step with the projects topic; skips records it cannot read. */
    static final class Updater implements Processor<String, byte[], Void, Void> {
        private static final Logger log = LoggerFactory.getLogger(Updater.class);
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                log.warn("skipping project record without a key");
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            try {
                ProjectRecord project = PROJECTS.deserialize(STORE, record.value());
                if (!record.key().equals(project.projectId())) {
                    log.warn(
                            "skipping project record: key {} differs from projectId {}",
                            record.key(),
                            project.projectId());
                    return;
                }
                store.put(record.key(), record.value());
            } catch (RuntimeException | StackOverflowError e) {
                log.warn("skipping unreadable project record {}: {}", record.key(), e.toString());
            }
        }
    }
}
