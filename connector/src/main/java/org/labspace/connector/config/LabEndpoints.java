package org.labspace.connector.config;

import java.net.URI;

/**
 * The addresses a connector with given settings serves, as clients on the same machine reach them; https when the
 * connector has a TLS keystore (then every context is HTTPS).
 */
public final class LabEndpoints {

    private LabEndpoints() {
    }

    public static URI management(LabConfig lab) {
        return url(lab, "management");
    }

    /** The DSP base (without version path); peers append {@code /2025-1}. */
    public static URI protocol(LabConfig lab) {
        return url(lab, "protocol");
    }

    public static URI url(LabConfig lab, String context) {
        var defaults = LabSettings.defaultsFor(lab);
        var host = lab.get(LabSettings.webKey(context, "host"), "127.0.0.1");
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = "127.0.0.1";
        }
        var port = lab.get(LabSettings.webKey(context, "port"), defaults.get(LabSettings.webKey(context, "port")));
        var path = lab.get(LabSettings.webKey(context, "path"), defaults.get(LabSettings.webKey(context, "path")));
        return URI.create((lab.has(LabSettings.TLS_KEYSTORE) ? "https://" : "http://") + host + ":" + port + path);
    }
}
