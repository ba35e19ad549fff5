package org.labspace.connector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.labspace.connector.client.ManagementClient;
import org.labspace.connector.config.LabConfig;
import org.labspace.connector.config.LabSettings;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** How an admin command finds the running connector: its config file, or environment variables. */
public class ConnectorOptions {

    public static final String URL_ENV = "LABSPACE_MANAGEMENT_URL";
    public static final String KEY_ENV = "LABSPACE_API_KEY";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The properties file the connector runs with.")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "How long to wait for the connector (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    Map<String, String> env = System.getenv();

    /** One request to the lab's Management API; a refusal becomes a CLI error listing the problems the API named. */
    JsonNode call(java.util.function.Function<ManagementClient, JsonNode> request) {
        try {
            return request.apply(client());
        } catch (org.labspace.connector.client.ManagementApiException e) {
            if (e.problems().isEmpty()) {
                throw new CliException(e.getMessage());
            }
            throw new CliException("refused:\n  " + String.join("\n  ", e.problems()));
        }
    }

    public ManagementClient client() {
        if (config != null) {
            var lab = LabConfig.fromProcess(config);
            var key = lab.get(LabSettings.MANAGEMENT_KEY);
            if (key == null) {
                throw new CliException("setting '" + LabSettings.MANAGEMENT_KEY + "' is missing in " + config);
            }
            try {
                return ManagementClient.forLab(lab, Duration.ofSeconds(timeoutSeconds));
            } catch (IllegalArgumentException e) {
                throw new CliException("setting '" + LabSettings.TLS_TRUSTED_CA + "': " + e.getMessage());
            }
        }
        var url = env.get(URL_ENV);
        var key = env.get(KEY_ENV);
        if (url == null || key == null) {
            throw new CliException("no connector given: use --config FILE, or set " + URL_ENV + " and " + KEY_ENV);
        }
        try {
            return new ManagementClient(URI.create(url), key, Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new CliException(URL_ENV + " is not a URL: " + url);
        }
    }
}
