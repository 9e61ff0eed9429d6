package dev.tokenpool.schemas;

/** A project ID: 1 to 64 letters, digits, '-', '_' or '.'; it never contains the 0x00 key separator. */
public final class ProjectIds {
    private static final int MAX_LENGTH = 64;

    private ProjectIds() {}

    public static boolean isValid(String projectId) {
        return NameChars.isLegal(projectId, MAX_LENGTH);
    }
}
