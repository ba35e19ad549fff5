package org.labspace.connector.cli;

import org.labspace.connector.config.ConfigException;
import org.labspace.connector.config.LabConfig;
import org.labspace.connector.config.LabSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.TreeMap;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Checks a connector configuration without starting it.",
        subcommands = {ConfigCommand.Check.class})
class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Reports every problem in the configuration, or prints the effective Labspace and web settings (secrets masked).")
    static class Check implements Runnable {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The lab's properties file.")
        Path config;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            var lab = LabConfig.fromProcess(config);
            var problems = LabSettings.problems(lab);
            if (!problems.isEmpty()) {
                throw new ConfigException(String.join("\n", problems));
            }
            var effective = new TreeMap<>(LabSettings.defaultsFor(lab));
            lab.values().forEach((k, v) -> {
                if (k.startsWith("labspace.") || k.startsWith("web.http.") || k.startsWith("edc.")) {
                    effective.put(k, v);
                }
            });
            var out = spec.commandLine().getOut();
            effective.forEach((k, v) -> out.println(k + "=" + (isSecret(k) ? "********" : v)));
            out.println("# configuration OK");
        }

        private static boolean isSecret(String key) {
            return key.endsWith(".key") || key.endsWith("password") || key.endsWith("secret");
        }
    }
}
