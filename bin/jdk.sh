# Sourced by ./tokenpool and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME and PATH.
# Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm; installs Debian's JDK 21 as a last resort.

java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

find_jdk() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
        if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

use_jdk() {
    local found
    if ! found=$(find_jdk); then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "no JDK 21+ found; installing Debian's openjdk-21-jdk-headless" >&2
            apt-get update -q >&2 && apt-get install -y -q openjdk-21-jdk-headless >&2
        fi
        found=$(find_jdk) || { echo "tokenpool needs a JDK 21 or newer: set JAVA_HOME to one" >&2; return 1; }
    fi
    export JAVA_HOME="$found"
    export PATH="$JAVA_HOME/bin:$PATH"
}
