package org.labspace.connector.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings for a throw-away lab on this machine (tests, benchmarks): every web context on its own free loopback port. */
public final class LocalLab {

    /**
     * The ports a lab binds: its web contexts and its embedded PostgreSQL (chosen here too, so that labs configured
     * together before any starts cannot pick each other's ports).
     */
    public static final List<String> PORT_KEYS = List.of("web.http.port", "web.http.control.port", "web.http.management.port",
            "web.http.protocol.port", "web.http.public.port", "web.http.research.port", "labspace.database.embedded.port");

    private LocalLab() {
    }

    /**
     * Ports are picked from 10000-18999: below the range the system hands out for outgoing connections (32768 and up
     * on Linux), where a lab's own client connections could take a port between the choice and the bind (seen: "Address
     * already in use" for a port chosen a second earlier), and below the sample network's fixed ports.
     */
    private static final int FIRST_PORT = 10_000;
    private static final int PORTS = 9_000;
    private static final java.util.Random RANDOM = new java.util.Random();

    /** A loopback port free at the time of asking (another process may take it before it is used). */
    public static int freePort() {
        try (var socket = bindFreePort()) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket bindFreePort() throws IOException {
        for (var attempt = 0; attempt < 200; attempt++) {
            try {
                return new ServerSocket(FIRST_PORT + RANDOM.nextInt(PORTS), 1, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                // try another
            }
        }
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    /**
     * Free ports for every web context and the embedded database, as settings, all different: the sockets stay open until every port is
     * chosen, since the system may hand out a port again as soon as it is released.
     */
    public static Map<String, String> freePorts() {
        var ports = new LinkedHashMap<String, String>();
        var sockets = new java.util.ArrayList<ServerSocket>();
        try {
            for (var key : PORT_KEYS) {
                var socket = bindFreePort();
                sockets.add(socket);
                ports.put(key, String.valueOf(socket.getLocalPort()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (var socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket we opened
                }
            }
        }
        return ports;
    }

    /**
     * The settings of a lab on free loopback ports, without identity: {@link LocalNetwork} adds the keys and registry.
     * {@code extra} entries are added or replace defaults.
     */
    public static Map<String, String> config(String participantId, Path dataDir, String apiKey, Map<String, String> extra) {
        var values = new LinkedHashMap<String, String>();
        values.put("edc.participant.id", participantId);
        values.put("labspace.data.dir", dataDir.toString());
        values.put("web.http.management.auth.key", apiKey);
        values.putAll(freePorts());
        values.putAll(extra);
        return values;
    }

    /** Writes settings as a properties file. */
    public static Path write(Path file, Map<String, String> values) {
        var text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
