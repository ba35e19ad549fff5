package org.labspace.connector.cli;

import org.labspace.connector.client.ManagementApiException;
import org.labspace.connector.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code bin/labspace}: runs a lab connector and administers a running one. */
@Command(name = "labspace",
        mixinStandardHelpOptions = true,
        versionProvider = LabspaceCommand.Version.class,
        description = "Labspace: the connector of a federated network of AI research labs.",
        subcommands = {RunCommand.class, StatusCommand.class, AgreementCommand.class, ConfigCommand.class, KeysCommand.class, NetworkCommand.class, DatasetCommand.class, PolicyCommand.class, AuditCommand.class, ResearcherCommand.class, SearchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Admin commands find the connector through --config FILE (the file it runs with),",
                "or through the environment variables LABSPACE_MANAGEMENT_URL and LABSPACE_API_KEY."})
public class LabspaceCommand {

    public static void main(String[] args) {
        useJsonProviderDirectly();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Names the JSON-P implementation, so that {@code jakarta.json.Json} does not search the classpath with a
     * ServiceLoader on each of the many calls EDC makes per message (measured as a large part of a catalog reply).
     */
    static void useJsonProviderDirectly() {
        var implementation = "org.eclipse.parsson.JsonProviderImpl";
        if (System.getProperty("jakarta.json.provider") == null && LabspaceCommand.class.getClassLoader().getResource(
                implementation.replace('.', '/') + ".class") != null) {
            System.setProperty("jakarta.json.provider", implementation);
        }
    }

    /** Runs a command line; returns the exit code. Failures print one line to {@code err}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        var commandLine = new CommandLine(new LabspaceCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ManagementApiException || e instanceof ConfigException || e instanceof CliException) {
                for (var line : e.getMessage().split("\n")) {
                    err.println("labspace: " + line);
                }
                return e instanceof ConfigException ? 2 : 1;
            }
            err.println("labspace: unexpected error: " + e);
            return 70;
        });
        return commandLine.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = LabspaceCommand.class.getPackage().getImplementationVersion();
            return new String[]{"labspace " + (version != null ? version : "development build")};
        }
    }
}
