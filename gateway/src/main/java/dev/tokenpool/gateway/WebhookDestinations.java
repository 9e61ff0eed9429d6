package dev.tokenpool.gateway;

import dev.tokenpool.schemas.Webhook;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may be delivered. Only {@code https://} unless {@code TOKENPOOL_WEBHOOK_ALLOW_HTTP}, and only public
 * addresses unless {@code TOKENPOOL_WEBHOOK_ALLOW_PRIVATE}: a project's URL must not reach into the network tokenpool
 * runs in. The admin API checks a URL as written ({@link #refusal(String)}); each delivery resolves the host again,
 * checks every address it resolves to, and connects to the address it checked ({@link #resolve(URI)}), so a name that
 * turns to a private address after it was accepted (DNS rebinding) is refused too.
 */
final class WebhookDestinations {
    private final boolean allowHttp;
    private final boolean allowPrivate;

    WebhookDestinations(boolean allowHttp, boolean allowPrivate) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
    }

    /** A destination refused, with the reason the admin API answers or the delivery records. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Why {@code url} cannot be a webhook, or null when it can (as written; its addresses are checked when used). */
    String refusal(String url) {
        try {
            URI uri = parse(url);
            if (!allowPrivate && literalAddress(uri.getHost()) instanceof InetAddress address && !isPublic(address)) {
                return "webhook.url must reach a public address (set TOKENPOOL_WEBHOOK_ALLOW_PRIVATE to allow others).";
            }
            if (!allowPrivate && isLocalName(uri.getHost())) {
                return "webhook.url must reach a public address (set TOKENPOOL_WEBHOOK_ALLOW_PRIVATE to allow others).";
            }
            return null;
        } catch (Refused e) {
            return e.getMessage();
        }
    }

    /** The URL, when it is an absolute http(s) URL this gateway may deliver to. */
    URI parse(String url) throws Refused {
        if (url == null || url.isEmpty() || url.length() > Webhook.MAX_URL_LENGTH) {
            throw new Refused(
                    "webhook.url must be an https:// URL of at most " + Webhook.MAX_URL_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("webhook.url is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(
                    allowHttp
                            ? "webhook.url must be an http:// or https:// URL."
                            : "webhook.url must be an https:// URL (set TOKENPOOL_WEBHOOK_ALLOW_HTTP to allow http://).");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("webhook.url must name a host, without user information or fragment.");
        }
        return uri;
    }

    /** The address a delivery to {@code url} connects to: the first the host resolves to, once every one passed. */
    InetAddress resolve(URI url) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("host " + url.getHost() + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new Refused("host " + url.getHost() + " resolves to a non-public address");
                }
            }
        }
        return addresses[0];
    }

    private static boolean isLocalName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local");
    }

    /** The address a host written as an IP literal stands for; null for a name. */
    private static InetAddress literalAddress(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} is on the public internet: not loopback, private, link-local, shared or reserved. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // this network
                    && !(first == 100 && second >= 64 && second < 128) // shared address space (carrier NAT)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved, broadcast
        }
        if (address instanceof Inet6Address v6) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isEmbeddingIpv4(b)) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return !v6.isIPv4CompatibleAddress();
        }
        return false;
    }

    /** NAT64 (64:ff9b::/96) addresses carry an IPv4 address in their last four bytes. */
    private static boolean isEmbeddingIpv4(byte[] b) {
        if (b[0] != 0 || b[1] != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
