package org.labspace.connector.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings a Labspace connector understands: Labspace's own ({@code labspace.*}, {@code web.http.*.host}) and
 * the EDC settings whose defaults Labspace changes. Also checks a configuration before the runtime boots, so a lab
 * administrator gets one line naming the setting instead of a stack trace.
 */
public final class LabSettings {

    public static final String DATA_DIR = "labspace.data.dir";
    /** No longer a setting: named only to explain that the mock identity is not part of a lab connector. */
    public static final String IDENTITY = "labspace.identity";
    public static final String IDENTITY_KEY = "labspace.identity.key";
    public static final String TOKEN_LIFETIME = "labspace.identity.token-lifetime";
    public static final String DEFAULT_TOKEN_LIFETIME = "PT2M";
    public static final String CLOCK_SKEW = "labspace.identity.clock-skew";
    public static final String DEFAULT_CLOCK_SKEW = "PT30S";
    public static final String NETWORK_OPERATOR_KEY = "labspace.network.operator-key";
    public static final String NETWORK_REGISTRY = "labspace.network.registry";
    public static final String NETWORK_REFRESH = "labspace.network.registry.refresh";
    public static final String DEFAULT_NETWORK_REFRESH = "PT5M";
    public static final String TLS_KEYSTORE = "edc.web.https.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD = "edc.web.https.keystore.password";
    public static final String TLS_KEYMANAGER_PASSWORD = "edc.web.https.keymanager.password";
    public static final String TLS_TRUSTED_CA = "labspace.tls.trusted-ca";
    /** Settings holding file paths: relative values in a config file are resolved against the file's folder. */
    public static final List<String> PATH_SETTINGS = List.of(DATA_DIR, IDENTITY_KEY, NETWORK_OPERATOR_KEY, TLS_KEYSTORE, TLS_TRUSTED_CA);
    public static final String DATABASE_MODE = "labspace.database.mode";
    public static final String DATABASE_EMBEDDED_PORT = "labspace.database.embedded.port";
    public static final String DATABASE_EMBEDDED_NAME = "labspace.database.embedded.name";
    public static final String DATASOURCE_URL = "edc.datasource.default.url";
    public static final String DATASOURCE_USER = "edc.datasource.default.user";
    public static final String DATASOURCE_PASSWORD = "edc.datasource.default.password";
    public static final String PARTICIPANT_ID = "edc.participant.id";
    public static final String HOSTNAME = "edc.hostname";
    public static final String CALLBACK_ADDRESS = "edc.dsp.callback.address";
    public static final String MANAGEMENT_KEY = "web.http.management.auth.key";
    public static final String MANAGEMENT_AUTH_TYPE = "web.http.management.auth.type";
    /** EDC's control API key: made afresh at each start (only the connector's own process calls that API). */
    public static final String CONTROL_KEY = "web.http.control.auth.key";
    public static final String CONTROL_AUTH_TYPE = "web.http.control.auth.type";
    public static final String SIGNER_ALIAS = "edc.transfer.proxy.token.signer.privatekey.alias";
    public static final String VERIFIER_ALIAS = "edc.transfer.proxy.token.verifier.publickey.alias";

    public static final String MODE_EMBEDDED = "embedded";
    public static final String MODE_EXTERNAL = "external";
    public static final int MIN_API_KEY_LENGTH = 16;

    /** The web contexts a connector serves, with default port and path. */
    public static final Map<String, String[]> WEB_CONTEXTS = webContexts();

    private static final List<LabSetting> ALL = List.of(
            LabSetting.required(DATA_DIR, "The lab's data directory: embedded database, vault (keys and tokens received from peers), caches. Created with owner-only permissions if missing."),
            LabSetting.required(PARTICIPANT_ID, "The lab's participant id in the network, e.g. `lab-madrid`; must be listed in the network registry with this lab's key."),
            LabSetting.required(IDENTITY_KEY, "The lab's private key file (PKCS#8 PEM, EC P-256 or Ed25519, as written by `labspace keys generate`); must not be readable by other users. It signs the lab's identity tokens."),
            LabSetting.required(NETWORK_OPERATOR_KEY, "The network operator's public key file (PEM). Only a registry signed with it is trusted."),
            LabSetting.required(NETWORK_REGISTRY, "Path or http(s) URL of the signed network registry (`registry.jws`). The last good registry is kept under `<labspace.data.dir>/trust`, so a lab starts and serves when the source is unreachable; an older version than the one kept is refused."),
            LabSetting.optional(NETWORK_REFRESH, DEFAULT_NETWORK_REFRESH, "How often the registry source is read again (ISO-8601 duration)."),
            LabSetting.optional(TOKEN_LIFETIME, DEFAULT_TOKEN_LIFETIME, "Lifetime of the identity tokens this lab signs (ISO-8601 duration, at most PT5M)."),
            LabSetting.optional(CLOCK_SKEW, DEFAULT_CLOCK_SKEW, "Clock difference tolerated when checking a peer's token times (ISO-8601 duration, at most PT2M)."),
            LabSetting.optional(TLS_KEYSTORE, null, "PKCS#12 keystore with this lab's TLS certificate and key. When set, every web context serves HTTPS and the derived callback address uses https."),
            LabSetting.optional(TLS_KEYSTORE_PASSWORD, "password", "Password of the TLS keystore (EDC's setting)."),
            LabSetting.optional(TLS_KEYMANAGER_PASSWORD, "password", "Password of the key inside the TLS keystore (EDC's setting)."),
            LabSetting.optional("labspace.catalog.crawl-interval", "PT5M", "How often the catalogs of the network's active members are read into the federated catalog (ISO-8601 duration); `POST /management/labspace/v1/federated/crawl` reads them at once."),
            LabSetting.optional("labspace.catalog.peer-timeout", "PT30S", "Time limit for reading one lab's whole catalog; a slower lab gets an error recorded and keeps its previous datasets."),
            LabSetting.optional("labspace.catalog.page-size", "500", "Datasets asked for per DSP catalog request while crawling."),
            LabSetting.optional("labspace.catalog.max-datasets-per-lab", "100000", "Most datasets accepted from one lab; a larger catalog is refused as an error for that lab."),
            LabSetting.optional("labspace.dataplane.public-url", "http(s)://<edc.hostname>:<web.http.public.port><web.http.public.path>", "The stream endpoint's URL as other labs reach it, put in every endpoint data reference: set it when the lab sits behind a proxy or a public host name."),
            LabSetting.optional("labspace.dataplane.threads", "1", "DuckDB threads per Parquet scan."),
            LabSetting.optional("labspace.dataplane.memory-mb", "512", "Memory for sending streams: three quarters for reading Parquet (DuckDB, native, spilling into `<data dir>/duckdb-spill`), a quarter for the Arrow batches on their way out. Each stream reserves its expected share before its scan opens (about six times a row group of the columns it reads); all open scans together may reserve 30% of DuckDB's part, since DuckDB gives memory back and faults it in again when its scans hold more. A stream that does not fit waits for one that ends."),
            LabSetting.optional("labspace.dataplane.max-streams", "8", "Streams sent at the same time; one more waits for one to end (`labspace.dataplane.stream-wait`)."),
            LabSetting.optional("labspace.dataplane.decoders", "the number of cores", "Batches decoded from Parquet at the same time, by all streams together; the others wait their turn. More than the cores only get in each other's way: the load suite measured 16 streams at 0.8x one stream's throughput with four decoding at once on two cores, and at 1x or more with two."),
            LabSetting.optional("labspace.dataplane.stream-wait", "PT20S", "How long a stream request waits, in arrival order, for a free slot and scan memory; after that it gets 503 with Retry-After, which the Python and Java clients retry on their own."),
            LabSetting.optional("labspace.dataplane.token-lifetime", "PT1H", "How long after a transfer starts its data token still opens new streams (a running stream is not cut by it; ending the transfer or losing the agreement cuts it)."),
            LabSetting.optional("labspace.catalog.reply-cache-mb", "128", "Memory for this lab's compacted catalog entries, which make repeated DSP catalog requests fast; 0 turns it off: every reply is then compacted whole by EDC, which takes seconds for thousands of datasets."),
            LabSetting.optional(TLS_TRUSTED_CA, null, "PEM file of CA certificates trusted for peers' HTTPS, in addition to the JDK's; for a network with its own CA."),
            LabSetting.required(MANAGEMENT_KEY, "The Management API key, sent as header `X-Api-Key`; at least " + MIN_API_KEY_LENGTH + " characters; compared exactly. The command line reads it from the same file."),
            LabSetting.optional(DATABASE_MODE, MODE_EMBEDDED, "`embedded`: a PostgreSQL server started by the connector, with its data under `<labspace.data.dir>/postgres` and durable settings (fsync on). `external`: the PostgreSQL given by `edc.datasource.default.*`."),
            LabSetting.optional(DATABASE_EMBEDDED_PORT, "0", "Loopback port of the embedded PostgreSQL; 0 picks a free port at every start."),
            LabSetting.optional(DATABASE_EMBEDDED_NAME, "labspace", "Database name inside the embedded PostgreSQL."),
            LabSetting.optional(DATASOURCE_URL, null, "JDBC URL of the external PostgreSQL (required when `labspace.database.mode=external`), e.g. `jdbc:postgresql://db.lab.example:5432/labspace`."),
            LabSetting.optional(DATASOURCE_USER, null, "User of the external PostgreSQL."),
            LabSetting.optional(DATASOURCE_PASSWORD, null, "Password of the external PostgreSQL."),
            LabSetting.optional("web.http.<context>.host", "127.0.0.1", "Interface each web context binds (contexts: " + String.join(", ", webContexts().keySet()) + "). Set `protocol` and `public` to the address peers reach; keep `management` and `control` on loopback."),
            LabSetting.optional("web.http.<context>.port", "see below", "Port of each web context: default 19191, control 19192, management 19193, protocol 19194, public 19291, research 19195."),
            LabSetting.optional("web.http.<context>.path", "see below", "Path of each web context: /api, /control, /management, /protocol, /public."),
            LabSetting.optional(HOSTNAME, "127.0.0.1", "Host name peers use to reach this connector; used to derive the DSP callback address."),
            LabSetting.optional(CALLBACK_ADDRESS, "http://<edc.hostname>:<protocol port><protocol path>", "Address peers send Dataspace Protocol messages to."),
            LabSetting.optional("edc.component.id", "<edc.participant.id>", "Component id EDC records in leases and logs."),
            LabSetting.optional(MANAGEMENT_AUTH_TYPE, LabspaceApiKeyType.TYPE, "Management API authentication; Labspace's exact, constant-time API key check. Other values are refused."),
            LabSetting.optional(CONTROL_KEY, "made at each start", "EDC's control API (data plane signaling, transfer callbacks) needs `X-Api-Key` with a random key the connector makes at each start and gives only to its own control API client; EDC 0.15.1 leaves that API open to any local user. Not configurable."),
            LabSetting.optional("edc.sql.schema.autocreate", "true", "Create or update the SQL schema at start (all statements are `IF NOT EXISTS`)."),
            LabSetting.optional("labspace.state-machine.event-driven", "true", "`false` restores EDC's fixed polling of negotiations and transfers (`edc.*.state-machine.iteration-wait-millis`, 1000 ms by default); the benchmark's baseline."),
            LabSetting.optional("labspace.state-machine.idle-millis", "1000", "Longest pause of an idle negotiation or transfer state machine. Any negotiation or transfer event wakes the loops at once, so this bounds idle database polling, not latency (EDC polls every `iteration-wait-millis`, 1000 ms by default, which made each negotiation step wait)."),
            LabSetting.optional("labspace.state-machine.settle-millis", "50", "Pause between a wake-up and a state machine's first look, so that the peer records our answer to its message before our next message reaches it (EDC 0.15.1 mishandles a message that arrives before that)."),
            LabSetting.optional("labspace.state-machine.hot-poll-millis", "5", "Poll interval of a state machine right after a wake-up."),
            LabSetting.optional("labspace.state-machine.hot-window-millis", "2000", "How long state machines keep polling at the hot interval after a wake-up."),
            LabSetting.optional("edc.core.retry.backoff.min", "100", "First retry delay (ms) of a DSP message a peer answered with 5xx, doubling up to `edc.core.retry.backoff.max` (EDC default 500). A peer whose negotiation is momentarily busy answers 503, and the retry should come soon."),
            LabSetting.optional(SIGNER_ALIAS, "labspace-data-token-private", "Vault alias of the key that signs data access tokens; generated (EC P-256) at first start and kept in the vault."),
            LabSetting.optional(VERIFIER_ALIAS, "labspace-data-token-public", "Vault alias of the matching public key.")
    );

    private LabSettings() {
    }

    public static List<LabSetting> all() {
        return ALL;
    }

    private static Map<String, String[]> webContexts() {
        var contexts = new LinkedHashMap<String, String[]>();
        contexts.put("default", new String[]{"19191", "/api"});
        contexts.put("control", new String[]{"19192", "/control"});
        contexts.put("management", new String[]{"19193", "/management"});
        contexts.put("protocol", new String[]{"19194", "/protocol"});
        contexts.put("public", new String[]{"19291", "/public"});
        contexts.put("research", new String[]{"19195", "/research"});
        return contexts;
    }

    /** The key of a web context's setting: EDC names the default context {@code web.http.port}, the others {@code web.http.<ctx>.port}. */
    public static String webKey(String context, String leaf) {
        return "default".equals(context) ? "web.http." + leaf : "web.http." + context + "." + leaf;
    }

    /**
     * The settings Labspace sets when no source does: its defaults for EDC settings and values derived from
     * other settings (the callback address from host name and protocol port).
     */
    public static Map<String, String> defaultsFor(LabConfig config) {
        var defaults = new LinkedHashMap<String, String>();
        WEB_CONTEXTS.forEach((ctx, portAndPath) -> {
            putIfUnset(config, defaults, webKey(ctx, "port"), portAndPath[0]);
            putIfUnset(config, defaults, webKey(ctx, "path"), portAndPath[1]);
        });
        putIfUnset(config, defaults, MANAGEMENT_AUTH_TYPE, LabspaceApiKeyType.TYPE);
        putIfUnset(config, defaults, HOSTNAME, "127.0.0.1");
        putIfUnset(config, defaults, "edc.sql.schema.autocreate", "true");
        putIfUnset(config, defaults, "edc.core.retry.backoff.min", "100");
        putIfUnset(config, defaults, SIGNER_ALIAS, "labspace-data-token-private");
        putIfUnset(config, defaults, VERIFIER_ALIAS, "labspace-data-token-public");
        if (config.has(PARTICIPANT_ID)) {
            putIfUnset(config, defaults, "edc.component.id", config.get(PARTICIPANT_ID));
        }
        var host = config.get(HOSTNAME, defaults.get(HOSTNAME));
        var port = config.get(webKey("protocol", "port"), defaults.get(webKey("protocol", "port")));
        var path = config.get(webKey("protocol", "path"), defaults.get(webKey("protocol", "path")));
        var scheme = config.has(TLS_KEYSTORE) ? "https" : "http";
        putIfUnset(config, defaults, CALLBACK_ADDRESS, scheme + "://" + host + ":" + port + path);
        return defaults;
    }

    private static void putIfUnset(LabConfig config, Map<String, String> defaults, String key, String value) {
        if (!config.has(key)) {
            defaults.put(key, value);
        }
    }

    /**
     * Checks a configuration (with {@link #defaultsFor} applied by the caller or not).
     *
     * @return one line per problem, each naming the setting; empty when the configuration can boot
     */
    public static List<String> problems(LabConfig config) {
        var problems = new ArrayList<String>();
        var defaults = defaultsFor(config);
        if (!config.has(DATA_DIR)) {
            problems.add("setting '" + DATA_DIR + "' is missing: the directory for the lab's database, keys and caches");
        }
        if (!config.has(PARTICIPANT_ID)) {
            problems.add("setting '" + PARTICIPANT_ID + "' is missing: the lab's participant id, e.g. lab-madrid");
        }
        if (config.has(IDENTITY)) {
            problems.add("setting '" + IDENTITY + "' is not supported: a lab connector always uses its own key and the signed network registry " +
                    "(the mock identity exists only in the protocol conformance test harness); remove the setting");
        }
        for (var required : List.of(IDENTITY_KEY, NETWORK_OPERATOR_KEY)) {
            if (!config.has(required)) {
                problems.add("setting '" + required + "' is missing: " + (required.equals(IDENTITY_KEY)
                        ? "the lab's private key file (create one with: labspace keys generate --out keys)"
                        : "the network operator's public key file"));
            } else if (!Files.isReadable(config.getPath(required))) {
                problems.add("setting '" + required + "': cannot read " + config.getPath(required));
            }
        }
        if (!config.has(NETWORK_REGISTRY)) {
            problems.add("setting '" + NETWORK_REGISTRY + "' is missing: the path or URL of the signed network registry");
        }
        checkDuration(config, NETWORK_REFRESH, Duration.ofSeconds(1), Duration.ofDays(1), problems);
        checkDuration(config, TOKEN_LIFETIME, Duration.ofSeconds(10), Duration.ofMinutes(5), problems);
        checkDuration(config, CLOCK_SKEW, Duration.ZERO, Duration.ofMinutes(2), problems);
        checkDuration(config, "labspace.catalog.crawl-interval", Duration.ofSeconds(1), Duration.ofDays(1), problems);
        checkDuration(config, "labspace.catalog.peer-timeout", Duration.ofSeconds(1), Duration.ofHours(1), problems);
        checkNumber(config, "labspace.catalog.page-size", 1, 10_000, problems);
        checkNumber(config, "labspace.catalog.max-datasets-per-lab", 1, 10_000_000, problems);
        checkNumber(config, "labspace.catalog.reply-cache-mb", 0, 65_536, problems);
        checkNumber(config, "labspace.dataplane.threads", 1, 64, problems);
        checkNumber(config, "labspace.dataplane.memory-mb", org.labspace.dataplane.scan.MemorySplit.MINIMUM_MB, 1_048_576, problems);
        checkNumber(config, "labspace.dataplane.max-streams", 1, 10_000, problems);
        checkNumber(config, "labspace.dataplane.decoders", 1, 1024, problems);
        checkDuration(config, "labspace.dataplane.token-lifetime", Duration.ofSeconds(10), Duration.ofDays(30), problems);
        checkDuration(config, "labspace.dataplane.stream-wait", Duration.ZERO, Duration.ofMinutes(10), problems);
        for (var file : List.of(TLS_KEYSTORE, TLS_TRUSTED_CA)) {
            if (config.has(file) && !Files.isReadable(config.getPath(file))) {
                problems.add("setting '" + file + "': cannot read " + config.getPath(file));
            }
        }
        var key = config.get(MANAGEMENT_KEY);
        if (key == null) {
            problems.add("setting '" + MANAGEMENT_KEY + "' is missing: the Management API refuses to run without an API key (generate one with: openssl rand -hex 32)");
        } else if (key.length() < MIN_API_KEY_LENGTH) {
            problems.add("setting '" + MANAGEMENT_KEY + "' is too short: at least " + MIN_API_KEY_LENGTH + " characters");
        }
        var authType = config.get(MANAGEMENT_AUTH_TYPE);
        if (authType != null && !LabspaceApiKeyType.TYPE.equals(authType)) {
            problems.add("setting '" + MANAGEMENT_AUTH_TYPE + "' is '" + authType + "': Labspace only runs with '" + LabspaceApiKeyType.TYPE + "' (exact API key check)");
        }
        var mode = config.get(DATABASE_MODE, MODE_EMBEDDED);
        if (MODE_EXTERNAL.equals(mode)) {
            if (!config.has(DATASOURCE_URL)) {
                problems.add("setting '" + DATASOURCE_URL + "' is missing: " + DATABASE_MODE + "=external needs the JDBC URL of a PostgreSQL database");
            } else if (!config.get(DATASOURCE_URL).startsWith("jdbc:postgresql:")) {
                problems.add("setting '" + DATASOURCE_URL + "' must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + config.get(DATASOURCE_URL) + "'");
            }
        } else if (MODE_EMBEDDED.equals(mode)) {
            if (config.has(DATASOURCE_URL)) {
                problems.add("setting '" + DATASOURCE_URL + "' is set but " + DATABASE_MODE + " is 'embedded': set " + DATABASE_MODE + "=external to use that database");
            }
            checkPort(config, DATABASE_EMBEDDED_PORT, true, problems);
        } else {
            problems.add("setting '" + DATABASE_MODE + "' has unknown value '" + mode + "': use 'embedded' or 'external'");
        }
        var ports = new LinkedHashMap<Integer, String>();
        WEB_CONTEXTS.keySet().forEach(ctx -> {
            var portKey = webKey(ctx, "port");
            var port = checkPort(config, portKey, false, problems);
            var effective = port != null ? port : (config.has(portKey) ? null : Integer.valueOf(defaults.get(portKey)));
            if (effective != null) {
                var previous = ports.putIfAbsent(effective, portKey);
                if (previous != null) {
                    problems.add("settings '" + previous + "' and '" + portKey + "' both use port " + effective + ": each web context needs its own port");
                }
            }
            var pathKey = webKey(ctx, "path");
            var path = config.get(pathKey);
            if (path != null && !path.startsWith("/")) {
                problems.add("setting '" + pathKey + "' must start with '/', got '" + path + "'");
            }
            var hostKey = webKey(ctx, "host");
            var host = config.get(hostKey);
            if (host != null && !isAddress(host)) {
                problems.add("setting '" + hostKey + "' is not an IP address or resolvable host name: '" + host + "'");
            }
        });
        return problems;
    }

    private static void checkDuration(LabConfig config, String key, Duration min, Duration max, List<String> problems) {
        var value = config.get(key);
        if (value == null) {
            return;
        }
        try {
            var duration = Duration.parse(value.trim());
            if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                problems.add("setting '" + key + "' must be between " + min + " and " + max + ", got " + value);
            }
        } catch (DateTimeParseException e) {
            problems.add("setting '" + key + "' must be an ISO-8601 duration such as PT2M, got '" + value + "'");
        }
    }

    private static void checkNumber(LabConfig config, String key, long min, long max, List<String> problems) {
        var value = config.get(key);
        if (value == null) {
            return;
        }
        try {
            var number = Long.parseLong(value.trim());
            if (number < min || number > max) {
                problems.add("setting '" + key + "' must be between " + min + " and " + max + ", got " + number);
            }
        } catch (NumberFormatException e) {
            problems.add("setting '" + key + "' must be a whole number, got '" + value + "'");
        }
    }

    private static Integer checkPort(LabConfig config, String key, boolean zeroAllowed, List<String> problems) {
        var value = config.get(key);
        if (value == null) {
            return null;
        }
        try {
            var port = Integer.parseInt(value.trim());
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                problems.add("setting '" + key + "' must be a port between " + (zeroAllowed ? 0 : 1) + " and 65535, got " + port);
                return null;
            }
            return port;
        } catch (NumberFormatException e) {
            problems.add("setting '" + key + "' must be a port number, got '" + value + "'");
            return null;
        }
    }

    private static boolean isAddress(String host) {
        if (Set.of("0.0.0.0", "::").contains(host)) {
            return true;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
