package org.labspace.connector.identity;

import org.eclipse.edc.spi.iam.AudienceResolver;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.message.ProtocolRemoteMessage;
import org.labspace.connector.trust.NetworkRegistry;

import java.util.function.Supplier;

/**
 * Names the lab a message goes to by its DSP address in the registry, so tokens are bound to the participant id
 * the operator vouches for at that address, and nothing is sent to an address no member owns.
 */
class RegistryAudienceResolver implements AudienceResolver {

    private final Supplier<NetworkRegistry> registry;

    RegistryAudienceResolver(Supplier<NetworkRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Result<String> resolve(ProtocolRemoteMessage message) {
        var network = registry.get();
        var address = message.getCounterPartyAddress();
        var member = network.memberAt(address);
        if (member == null) {
            return Result.failure("no member of network '" + network.network() + "' (registry version " + network.version() +
                    ") serves the address " + address + "; Labspace only talks to registered labs");
        }
        var expected = message.getCounterPartyId();
        if (expected != null && !expected.equals(member.participantId())) {
            return Result.failure("address " + address + " belongs to '" + member.participantId() + "' in the registry, not to '" + expected + "'");
        }
        return Result.success(member.participantId());
    }
}
