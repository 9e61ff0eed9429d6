package dev.tokenpool.schemas;

import java.util.regex.Pattern;

/** A project ID: 1 to 64 letters, digits, '-', '_' or '.'; it never contains the 0x00 key separator. */
public final class ProjectIds {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ProjectIds() {
    }

    public static boolean isValid(String projectId) {
        return projectId != null && FORMAT.matcher(projectId).matches();
    }
}
