package org.labspace.connector.cli;

import org.labspace.connector.trust.KeyAlgorithm;
import org.labspace.connector.trust.LabKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manages a lab's signing keys (offline: no connector needed).",
        subcommands = {KeysCommand.Generate.class})
class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Creates a key pair: DIR/NAME.key (private, mode 0600) and DIR/NAME.pub.",
                    "Prints the key id (RFC 7638 thumbprint) and the public key; never the private key."})
    static class Generate implements Runnable {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key files (created if missing).")
        Path out;
        @Option(names = "--name", defaultValue = "lab", paramLabel = "NAME", description = "File name stem (default: ${DEFAULT-VALUE}).")
        String name;
        @Option(names = "--algorithm", defaultValue = "ec-p256", paramLabel = "ALG", description = "ec-p256 or ed25519 (default: ${DEFAULT-VALUE}).")
        String algorithm;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            KeyAlgorithm alg;
            try {
                alg = KeyAlgorithm.fromCliName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            var pair = LabKeys.generate(alg);
            try {
                LabKeys.write(pair, out, name);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(e.getFile() + " exists: refusing to overwrite an existing key; move it away first");
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException("cannot write the key pair to " + out + ": " + e.getMessage());
            }
            var stdout = spec.commandLine().getOut();
            stdout.println("algorithm: " + alg.cliName());
            stdout.println("private key: " + out.resolve(name + ".key") + " (mode 0600; keep it secret)");
            stdout.println("public key: " + out.resolve(name + ".pub"));
            stdout.println("key id: " + LabKeys.keyId(pair.getPublic()));
            stdout.print(LabKeys.publicPem(pair.getPublic()));
        }
    }
}
