package org.labspace.connector.dataplane;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.labspace.connector.agreement.Revocations;
import org.labspace.connector.policy.EdcPolicies;
import org.labspace.policy.AgreementTerms;

import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.dataplane.spi.iam.DataPlaneAccessTokenService;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.labspace.catalog.RegisteredDataset;
import org.labspace.dataplane.restriction.RestrictionException;
import org.labspace.dataplane.scan.ParquetSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

/**
 * Checks a stream request's token and finds what it may read. The token must be one this data plane issued and has
 * not revoked (EDC deletes a transfer's token record when the transfer ends or is suspended), younger than the token
 * lifetime, for a transfer that is running, under an agreement that exists, for a dataset still offered.
 */
final class StreamAuthorizer {

    private final DataPlaneAccessTokenService tokens;
    private final TransferProcessStore transfers;
    private final ContractNegotiationStore negotiations;
    private final AssetIndex assets;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final Function<String, String> maskSalt;
    private final Revocations revocations;
    private final TransactionContext transactions;

    StreamAuthorizer(DataPlaneAccessTokenService tokens, TransferProcessStore transfers, ContractNegotiationStore negotiations, AssetIndex assets,
                     Duration tokenLifetime, Clock clock, Function<String, String> maskSalt, Revocations revocations, TransactionContext transactions) {
        this.tokens = tokens;
        this.transfers = transfers;
        this.negotiations = negotiations;
        this.assets = assets;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
        this.maskSalt = maskSalt;
        this.revocations = revocations;
        this.transactions = transactions;
    }

    /**
     * @param authorization   the Authorization header: {@code Bearer <token>} (or the bare token)
     * @param expectedDataset the dataset the client says it reads, or null
     */
    AuthorizedStream authorize(String authorization, String expectedDataset) {
        if (authorization == null || authorization.isBlank()) {
            throw new StreamAccessException(401, "no token: send 'Authorization: Bearer <token>' with the token of the transfer's endpoint data reference");
        }
        var token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
        var resolved = tokens.resolve(token);
        if (resolved.failed()) {
            var detail = resolved.getFailureDetail();
            throw new StreamAccessException(401, detail.contains("does not exist")
                    ? "token revoked: its transfer ended or was suspended (or the token was never issued here)"
                    : "token refused: " + detail);
        }
        var data = resolved.getContent();
        var issuedAt = data.claimToken().getClaim("iat");
        var issued = issuedAt(issuedAt);
        if (issued == null) {
            throw new StreamAccessException(401, "token refused: it has no readable issue time (iat " + (issuedAt == null ? "missing" : issuedAt.getClass().getSimpleName()) + ")");
        }
        if (issued.plus(tokenLifetime).isBefore(clock.instant())) {
            throw new StreamAccessException(401, "token expired at " + issued.plus(tokenLifetime) + "; start a new transfer for a fresh one");
        }
        var properties = data.additionalProperties();
        var transferProcessId = (String) properties.get("process_id");
        var agreementId = (String) properties.get("agreement_id");
        var datasetId = (String) properties.get("asset_id");
        var consumerId = (String) properties.get("participant_id");
        if (transferProcessId == null || agreementId == null || datasetId == null) {
            throw new StreamAccessException(403, "token is not bound to a transfer of a dataset");
        }
        if (expectedDataset != null && !expectedDataset.equals(datasetId)) {
            throw new StreamAccessException(403, "this token is for dataset '" + datasetId + "', not '" + expectedDataset + "'");
        }
        // the agreement before the transfer: a revocation also ends the transfer, and the researcher should read the cause
        var agreement = negotiations.findContractAgreement(agreementId);
        if (agreement == null) {
            throw new StreamAccessException(403, noAgreement(agreementId));
        }
        var ended = agreementEnded(agreement);
        if (ended != null) {
            throw new StreamAccessException(403, ended);
        }
        var stopped = transferNotRunning(transferProcessId);
        if (stopped != null) {
            throw new StreamAccessException(403, stopped);
        }
        // EDC's SQL asset index reads in the caller's transaction; without one, the connection it takes stays with this
        // server thread until the thread's next transaction, and enough such threads drain the pool (docs/reliability.md)
        var asset = transactions.execute(() -> assets.findById(datasetId));
        if (asset == null) {
            throw new StreamAccessException(403, "dataset '" + datasetId + "' is no longer registered at this lab");
        }
        var dataset = RegisteredDataset.fromProperties(datasetId, asset.getProperties(), asset.getPrivateProperties());
        if (!dataset.offered()) {
            throw new StreamAccessException(403, "dataset '" + datasetId + "' was withdrawn by the lab on " + dataset.withdrawn());
        }
        try {
            var restrictions = AgreementRestrictions.of(agreement.getPolicy());
            return new AuthorizedStream(transferProcessId, agreementId, consumerId, dataset, source(dataset), restrictions, maskSalt.apply(agreementId));
        } catch (RestrictionException e) {
            throw new StreamAccessException(403, e.getMessage());
        }
    }

    /** The token's iat: EDC keeps it as a date, or as epoch seconds once the token record went through the database. */
    private static Instant issuedAt(Object claim) {
        if (claim instanceof Date date) {
            return date.toInstant();
        }
        if (claim instanceof Instant instant) {
            return instant;
        }
        if (claim instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (claim instanceof String text && text.matches("[0-9]+")) {
            return Instant.ofEpochSecond(Long.parseLong(text));
        }
        return null;
    }

    /** Null while the transfer runs under an existing agreement; else why its streams must stop. */
    String refusal(String transferProcessId, String agreementId) {
        // the agreement first: a revocation also ends the transfer, and the researcher should read the cause
        var agreement = negotiations.findContractAgreement(agreementId);
        if (agreement == null) {
            return noAgreement(agreementId);
        }
        var ended = agreementEnded(agreement);
        return ended != null ? ended : transferNotRunning(transferProcessId);
    }

    /** Null while the agreement is in force; else that it was revoked, or when it expired. */
    private String agreementEnded(ContractAgreement agreement) {
        var revoked = revocations.find(agreement.getId());
        if (revoked.isPresent()) {
            return revoked.get().describe();
        }
        var terms = AgreementTerms.of(EdcPolicies.fromEdc(agreement.getPolicy()), Instant.ofEpochSecond(agreement.getContractSigningDate()));
        return terms.expiredAt(clock.instant());
    }

    private String transferNotRunning(String transferProcessId) {
        var transfer = transfers.findById(transferProcessId);
        if (transfer == null) {
            return "transfer " + transferProcessId + " does not exist";
        }
        if (transfer.getState() != TransferProcessStates.STARTED.code()) {
            return "transfer " + transferProcessId + " is " + TransferProcessStates.from(transfer.getState()) + ", not STARTED";
        }
        return null;
    }

    private static String noAgreement(String agreementId) {
        return "agreement " + agreementId + " does not exist at this lab";
    }

    private static ParquetSource source(RegisteredDataset dataset) {
        var root = Path.of(dataset.registration().path());
        var files = dataset.profile().files();
        if (!Files.isDirectory(root)) {
            // a one-file dataset (its file's name is its relative path); a missing file fails the scan with its path
            return new ParquetSource(List.of(root), false);
        }
        var hive = files.stream().anyMatch(f -> !f.partitions().isEmpty());
        return new ParquetSource(files.stream().map(f -> root.resolve(f.path())).toList(), hive);
    }
}
