package org.labspace.connector.cli;

import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.labspace.connector.config.ConfigException;
import org.labspace.connector.config.LabSettings;
import org.labspace.connector.runtime.LabStartupException;
import org.labspace.connector.runtime.LabspaceRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Starts a lab connector in the foreground; stop it with Ctrl-C or SIGTERM.",
                "Settings come from FILE, overridden by environment variables (WEB_HTTP_MANAGEMENT_PORT for",
                "web.http.management.port) and by -Dkey=value. See docs/settings.md."})
class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The lab's properties file.")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:LABSPACE_LOG_LEVEL:-INFO}",
            description = "SEVERE, WARNING, INFO or DEBUG (default: ${DEFAULT-VALUE}; environment: LABSPACE_LOG_LEVEL).")
    ConsoleMonitor.Level logLevel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var lab = LabspaceRuntime.loadSettings(config);
        var problems = LabSettings.problems(lab);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        var runtime = new LabspaceRuntime(lab, logLevel);
        try {
            runtime.boot(true);
        } catch (ConfigException e) {
            throw e;
        } catch (LabStartupException e) {
            spec.commandLine().getErr().println("labspace: the connector could not start: " + e.getMessage());
            // web servers may already run: leave no half-started process behind
            Runtime.getRuntime().halt(1);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("labspace: the connector could not start: " + LabspaceRuntime.describe(e));
            Runtime.getRuntime().halt(1);
        }
        // run until SIGTERM or Ctrl-C: EDC's shutdown hook then stops the connector and its database
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
