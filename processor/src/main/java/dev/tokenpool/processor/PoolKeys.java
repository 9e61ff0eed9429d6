package dev.tokenpool.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Store keys. Every key starts with the project ID and a 0x00 byte, so one project's entries are a
 * single contiguous key range (project IDs never contain 0x00). After the prefix comes the token ID
 * (token store) or the registration sequence as 8 big-endian bytes (order index), which sorts
 * byte-wise in registration order.
 */
final class PoolKeys {
    private static final byte SEPARATOR = 0x00;

    private PoolKeys() {
    }

    static Bytes token(String projectId, String tokenId) {
        return Bytes.wrap(concat(prefix(projectId), tokenId.getBytes(StandardCharsets.UTF_8)));
    }

    static Bytes order(String projectId, long sequence) {
        return Bytes.wrap(concat(prefix(projectId), ByteBuffer.allocate(Long.BYTES).putLong(sequence).array()));
    }

    /** The first order-index key of a project. */
    static Bytes firstOrder(String projectId) {
        return order(projectId, 0L);
    }

    /** The last order-index key of a project. */
    static Bytes lastOrder(String projectId) {
        return order(projectId, Long.MAX_VALUE);
    }

    static Bytes project(String projectId) {
        return Bytes.wrap(projectId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] prefix(String projectId) {
        byte[] project = projectId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[project.length + 1];
        System.arraycopy(project, 0, prefix, 0, project.length);
        prefix[project.length] = SEPARATOR;
        return prefix;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
