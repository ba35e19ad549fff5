package org.labspace.connector.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Checks that the connector answers and accepts the API key, and counts what it stores.")
class StatusCommand implements Callable<Integer> {

    @Mixin
    ConnectorOptions connector;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var client = connector.client();
        var out = spec.commandLine().getOut();
        var assets = client.queryAssets().size();
        var policies = client.queryPolicies().size();
        var definitions = client.queryContractDefinitions().size();
        var negotiations = client.queryNegotiations().size();
        var agreements = client.queryAgreements().size();
        out.println("connector: " + client.base() + " (API key accepted)");
        out.printf("assets: %d, policies: %d, contract definitions: %d, negotiations: %d, agreements: %d%n",
                assets, policies, definitions, negotiations, agreements);
        return 0;
    }
}
