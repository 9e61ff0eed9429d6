package dev.tokenpool.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson configuration of tokenpool: strict on input, so bad JSON is refused, never guessed at. */
public final class Json {
    /** Deepest nesting accepted: the API's bodies are two levels deep. */
    static final int MAX_NESTING_DEPTH = 32;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build());
    }

    private Json() {}

    /** Parses a JSON document; throws {@link IOException} for anything that is not exactly one JSON value. */
    public static JsonNode parse(byte[] json) throws IOException {
        JsonNode node = MAPPER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty document");
        }
        return node;
    }

    /** A parse error in words for a client: what is wrong and where, without parser internals. */
    public static String describe(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse) {
            var where = parse.getLocation();
            String what = parse.getOriginalMessage();
            int marker = what.indexOf(" (start marker at");
            return (marker < 0 ? what : what.substring(0, marker))
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
        }
        return e.getMessage() == null ? "unreadable" : e.getMessage();
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
