package org.labspace.connector.cli;

import org.labspace.catalog.DurableFile;
import org.labspace.connector.trust.LabKeys;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.NetworkRegistry;
import org.labspace.connector.trust.RegistryJson;
import org.labspace.connector.trust.RegistrySignature;
import org.labspace.connector.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The network operator's tools: a draft registry (plain JSON) is edited with init, add-member and suspend, then
 * signed into the registry.jws that labs trust. Every command is idempotent, so scripts can run them again.
 */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Manages the network registry (operator tools, offline: no connector needed).",
        subcommands = {NetworkCommand.Init.class, NetworkCommand.AddMember.class, NetworkCommand.Suspend.class,
                NetworkCommand.Activate.class, NetworkCommand.Sign.class, NetworkCommand.Verify.class})
class NetworkCommand {

    abstract static class DraftCommand implements Runnable {
        @Option(names = "--draft", required = true, paramLabel = "FILE", description = "The draft registry (JSON).")
        Path draft;
        @Spec
        CommandSpec spec;

        NetworkRegistry readDraft() {
            try {
                return RegistryJson.read(Files.readString(draft));
            } catch (IOException e) {
                throw new CliException("cannot read the draft registry " + draft + ": " + e);
            } catch (TrustException e) {
                throw new CliException(draft + ": " + e.getMessage());
            }
        }

        void writeDraft(NetworkRegistry registry) {
            writeAtomically(draft, RegistryJson.write(registry));
        }

        void say(String line) {
            spec.commandLine().getOut().println(line);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Creates an empty draft registry for a network.")
    static class Init extends DraftCommand {
        @Option(names = "--network", required = true, paramLabel = "NAME", description = "The network's name, e.g. iberian-ai-labs.")
        String network;

        @Override
        public void run() {
            if (Files.exists(draft)) {
                var existing = readDraft();
                if (!existing.network().equals(network)) {
                    throw new CliException(draft + " already holds network '" + existing.network() + "', not '" + network + "'");
                }
                say("draft " + draft + " for network '" + network + "' exists; left as it is");
                return;
            }
            writeDraft(new NetworkRegistry(network, 1, Instant.now().truncatedTo(ChronoUnit.SECONDS), List.of()));
            say("created draft " + draft + " for network '" + network + "'");
        }
    }

    @Command(name = "add-member", mixinStandardHelpOptions = true,
            description = {"Adds a lab to the draft, or with --update replaces its entry (e.g. to rotate keys: list old and new key).",
                    "Adding the same entry again changes nothing."})
    static class AddMember extends DraftCommand {
        @Option(names = "--id", required = true, description = "Participant id, e.g. lab-madrid.")
        String id;
        @Option(names = "--name", required = true, description = "Display name.")
        String name;
        @Option(names = "--country", required = true, description = "ISO 3166-1 alpha-2 code, e.g. ES.")
        String country;
        @Option(names = "--type", required = true, description = "Organization type: university, public-research, hospital, company or government.")
        String type;
        @Option(names = "--accreditation", description = "An accreditation, e.g. ethics-board-approved; repeatable.")
        List<String> accreditations = new ArrayList<>();
        @Option(names = "--dsp-endpoint", required = true, paramLabel = "URL", description = "The lab's Dataspace Protocol address (its callback address).")
        String dspEndpoint;
        @Option(names = "--data-endpoint", required = true, paramLabel = "URL", description = "The lab's data plane address.")
        String dataEndpoint;
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "A public key file (PEM) of the lab; repeatable.")
        List<Path> keys;
        @Option(names = "--update", description = "Replace an existing entry for this id.")
        boolean update;

        @Override
        public void run() {
            var registry = readDraft();
            var memberKeys = new ArrayList<NetworkMember.MemberKey>();
            for (var file : keys) {
                try {
                    var key = LabKeys.readPublicKey(file);
                    memberKeys.add(NetworkMember.MemberKey.of(key));
                } catch (IOException | IllegalArgumentException e) {
                    throw new CliException("cannot use public key " + file + ": " + e.getMessage());
                }
            }
            var existing = registry.member(id);
            var status = existing == null ? NetworkMember.ACTIVE : existing.status();
            var member = new NetworkMember(id, name, country, type, accreditations, dspEndpoint, dataEndpoint, memberKeys, status);
            if (member.equals(existing)) {
                say("member '" + id + "' is already in the draft as given; nothing changed");
                return;
            }
            if (existing != null && !update) {
                throw new CliException("member '" + id + "' is already in the draft with other details; add --update to replace its entry");
            }
            var updated = registry.withMember(member);
            var problems = updated.problems();
            if (!problems.isEmpty()) {
                throw new CliException("the entry is not valid:\n" + String.join("\n", problems));
            }
            writeDraft(updated);
            say((existing == null ? "added '" : "updated '") + id + "' to the draft; sign it to publish");
        }
    }

    abstract static class StatusChange extends DraftCommand {
        @Option(names = "--id", required = true, description = "Participant id.")
        String id;

        void change(String status) {
            var registry = readDraft();
            var member = registry.member(id);
            if (member == null) {
                throw new CliException("no member '" + id + "' in " + draft);
            }
            if (member.status().equals(status)) {
                say("'" + id + "' is already " + status);
                return;
            }
            writeDraft(registry.withMember(new NetworkMember(member.participantId(), member.displayName(), member.country(),
                    member.organizationType(), member.accreditations(), member.dspEndpoint(), member.dataEndpoint(), member.keys(), status)));
            say("'" + id + "' is now " + status + " in the draft; sign it to publish");
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Marks a member suspended: once signed, every lab refuses its requests.")
    static class Suspend extends StatusChange {
        @Override
        public void run() {
            change(NetworkMember.SUSPENDED);
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Lifts a suspension.")
    static class Activate extends StatusChange {
        @Override
        public void run() {
            change(NetworkMember.ACTIVE);
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Signs the draft with the operator key into the registry labs trust.",
                    "The version goes up by one over the registry in --out; an unchanged draft leaves --out as it is."})
    static class Sign extends DraftCommand {
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The operator's private key.")
        Path key;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The signed registry, e.g. registry.jws.")
        Path out;

        @Override
        public void run() {
            var draftRegistry = readDraft();
            java.security.KeyPair operator;
            try {
                operator = LabKeys.readKeyPair(key);
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException("cannot use the operator key: " + e.getMessage());
            }
            var version = draftRegistry.version();
            if (Files.exists(out)) {
                NetworkRegistry published;
                try {
                    published = RegistrySignature.verify(Files.readString(out), operator.getPublic());
                } catch (IOException | TrustException e) {
                    throw new CliException(out + " exists but is not a registry signed by this key (" + e.getMessage() + "); move it away first");
                }
                if (published.sameContent(draftRegistry)) {
                    say("registry " + out + " version " + published.version() + " already holds this draft; nothing signed");
                    return;
                }
                version = Math.max(version, published.version() + 1);
            }
            var signed = draftRegistry.withVersion(version, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            try {
                writeAtomically(out, RegistrySignature.sign(signed, operator));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            writeDraft(signed);
            say("signed registry '" + signed.network() + "' version " + version + " (" + signed.members().size() + " members) into " + out +
                    " with operator key " + LabKeys.keyId(operator.getPublic()));
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks a signed registry against the operator's public key and lists its members.")
    static class Verify implements Runnable {
        @Option(names = "--registry", required = true, paramLabel = "FILE", description = "The signed registry.")
        Path registry;
        @Option(names = "--operator-key", required = true, paramLabel = "FILE", description = "The operator's public key.")
        Path operatorKey;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            NetworkRegistry verified;
            try {
                verified = RegistrySignature.verify(Files.readString(registry), LabKeys.readPublicKey(operatorKey));
            } catch (IOException | IllegalArgumentException e) {
                throw new CliException("cannot read " + e.getMessage());
            } catch (TrustException e) {
                throw new CliException(registry + " cannot be trusted: " + e.getMessage());
            }
            var out = spec.commandLine().getOut();
            out.println("registry '" + verified.network() + "' version " + verified.version() + ", issued " + verified.issuedAt() + ": signature valid");
            out.printf("%-20s %-9s %-3s %-16s %-30s %s%n", "PARTICIPANT", "STATUS", "CC", "TYPE", "ACCREDITATIONS", "DSP ENDPOINT");
            for (var m : verified.members()) {
                out.printf("%-20s %-9s %-3s %-16s %-30s %s%n", m.participantId(), m.status(), m.country(), m.organizationType(),
                        m.accreditations().isEmpty() ? "-" : String.join(",", m.accreditations()), m.dspEndpoint());
            }
        }
    }

    static void writeAtomically(Path file, String content) {
        try {
            DurableFile.replace(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e);
        }
    }
}
