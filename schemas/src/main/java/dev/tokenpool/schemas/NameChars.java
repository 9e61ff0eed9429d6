package dev.tokenpool.schemas;

/**
 * Names made of ASCII letters, digits, '.', '_' and '-' (the characters of a Kafka topic name), checked with a
 * loop: the processor checks a project ID and a reply topic on every command, and a regular expression made those
 * two checks a noticeable share of its time per command.
 */
final class NameChars {
    private NameChars() {}

    static boolean isLegal(String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean legal = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!legal) {
                return false;
            }
        }
        return true;
    }
}
