package dev.tokenpool.runtime;

import java.time.Duration;

/**
 * How long the broker may hold a fetch of a reader that sends nothing but fetches once started (a gateway's reply
 * and registry readers, the processor's project-settings reader). The broker answers a held fetch as soon as a
 * record becomes readable, so a long wait adds no latency; it spares an idle reader empty fetches, which were most
 * of an idle deployment's cost. Only readers that send nothing else get it: a broker handles one request of a
 * connection at a time, so any other request (offsets, metadata) would queue behind the held fetch.
 */
public final class HeldFetches {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private HeldFetches() {}
}
