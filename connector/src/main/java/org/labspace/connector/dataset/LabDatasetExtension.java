package org.labspace.connector.dataset;

import org.eclipse.edc.connector.controlplane.services.spi.asset.AssetService;
import org.eclipse.edc.connector.controlplane.services.spi.contractdefinition.ContractDefinitionService;
import org.eclipse.edc.connector.controlplane.services.spi.policydefinition.PolicyDefinitionService;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;
import org.eclipse.edc.web.spi.WebService;
import org.labspace.catalog.ParquetInspector;
import org.labspace.catalog.Vocabulary;
import org.labspace.connector.config.LabSettings;

import java.time.Clock;

/** Wires dataset registration into the Management API and EDC's asset, policy and contract definition services. */
@Extension(LabDatasetExtension.NAME)
public class LabDatasetExtension implements ServiceExtension {

    public static final String NAME = "Labspace datasets";

    @Setting(key = LabSettings.PARTICIPANT_ID, description = "The lab's participant id")
    private String participantId;
    @Inject
    private WebService webService;
    @Inject
    private AssetService assets;
    @Inject
    private ContractDefinitionService definitions;
    @Inject
    private PolicyDefinitionService policies;
    @Inject
    private TransactionContext transactions;
    @Inject
    private SingleParticipantContextSupplier participantContext;
    @Inject
    private DataAddressValidatorRegistry addressValidators;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        addressValidators.registerSourceValidator(Vocabulary.PARQUET_ADDRESS_TYPE, address -> address.getStringProperty("path") == null
                ? ValidationResult.failure(Violation.violation("a " + Vocabulary.PARQUET_ADDRESS_TYPE + " address needs a 'path'", "path"))
                : ValidationResult.success());
        var service = new DatasetService(new ParquetInspector(), assets, definitions, policies, transactions, this::participantContextId,
                participantId, Clock.systemUTC());
        webService.registerResource("management", new DatasetApiController(service));
    }

    private String participantContextId() {
        var result = participantContext.get();
        if (result.failed()) {
            throw new EdcException("no participant context: " + result.getFailureDetail());
        }
        return result.getContent().getParticipantContextId();
    }
}
