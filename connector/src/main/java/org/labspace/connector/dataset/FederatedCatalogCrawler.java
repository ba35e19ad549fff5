package org.labspace.connector.dataset;

import org.eclipse.edc.connector.controlplane.services.spi.catalog.CatalogService;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.QuerySpec;
import org.labspace.catalog.DatasetException;
import org.labspace.catalog.DatasetSummary;
import org.labspace.catalog.DspCatalogParser;
import org.labspace.catalog.FederatedIndex;
import org.labspace.catalog.PeerStatus;
import org.labspace.connector.trust.NetworkMember;
import org.labspace.connector.trust.NetworkRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads the DSP catalog of every active member of the network into the {@link FederatedIndex}. Each lab is crawled
 * on its own, with a time limit: one that is down, slow or answers garbage gets its error recorded and keeps its
 * previous datasets, and never holds up the others.
 */
class FederatedCatalogCrawler {

    static final String DSP_2025 = "dataspace-protocol-http:2025-1";

    private final CatalogService catalogs;
    private final Supplier<ParticipantContext> participantContext;
    private final Supplier<NetworkRegistry> registry;
    private final String self;
    private final FederatedIndex index;
    private final ExecutorService workers;
    private final Duration peerTimeout;
    private final int pageSize;
    private final int maxDatasetsPerLab;
    private final Clock clock;
    private final Monitor monitor;

    FederatedCatalogCrawler(CatalogService catalogs, Supplier<ParticipantContext> participantContext, Supplier<NetworkRegistry> registry, String self,
                            FederatedIndex index, ExecutorService workers, Duration peerTimeout, int pageSize, int maxDatasetsPerLab, Clock clock, Monitor monitor) {
        this.catalogs = catalogs;
        this.participantContext = participantContext;
        this.registry = registry;
        this.self = self;
        this.index = index;
        this.workers = workers;
        this.peerTimeout = peerTimeout;
        this.pageSize = pageSize;
        this.maxDatasetsPerLab = maxDatasetsPerLab;
        this.clock = clock;
        this.monitor = monitor;
    }

    /** Crawls every active member but this lab, in parallel; returns when all are done or timed out. */
    synchronized List<PeerStatus> crawl() {
        var members = registry.get().members().stream()
                .filter(NetworkMember::isActive)
                .filter(m -> !m.participantId().equals(self))
                .toList();
        index.retainOnly(members.stream().map(NetworkMember::participantId).collect(Collectors.toSet()));
        var running = new ArrayList<Future<?>>();
        for (var member : members) {
            running.add(workers.submit(() -> crawl(member)));
        }
        for (var task : running) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                monitor.warning("federated catalog: crawl failed unexpectedly: " + e.getCause());
            }
        }
        return index.peers();
    }

    private void crawl(NetworkMember member) {
        var lab = member.participantId();
        var address = member.dspEndpoint().replaceAll("/+$", "") + "/2025-1";
        var started = clock.instant();
        var deadline = System.nanoTime() + peerTimeout.toNanos();
        var datasets = new ArrayList<DatasetSummary>();
        try {
            for (var offset = 0; ; offset += pageSize) {
                var remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TimeoutException();
                }
                var query = QuerySpec.Builder.newInstance().offset(offset).limit(pageSize).build();
                var result = catalogs.requestCatalog(participantContext.get(), lab, address, DSP_2025, query).get(remaining, TimeUnit.NANOSECONDS);
                if (result.failed()) {
                    throw new DatasetException(result.getFailureDetail());
                }
                var page = DspCatalogParser.parse(lab, result.getContent());
                datasets.addAll(page);
                if (datasets.size() > maxDatasetsPerLab) {
                    throw new DatasetException("offers more than " + maxDatasetsPerLab + " datasets (labspace.catalog.max-datasets-per-lab)");
                }
                if (page.size() < pageSize) {
                    break;
                }
            }
            index.succeeded(lab, datasets, started);
        } catch (TimeoutException e) {
            failed(lab, "no complete catalog within " + peerTimeout.toSeconds() + " s", started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(lab, "interrupted", started);
        } catch (ExecutionException e) {
            failed(lab, String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()), started);
        } catch (DatasetException | RuntimeException e) {
            failed(lab, e.getMessage(), started);
        }
    }

    private void failed(String lab, String error, java.time.Instant at) {
        var reason = error == null ? "unknown error" : error.length() > 300 ? error.substring(0, 300) + "..." : error;
        monitor.warning("federated catalog: cannot read the catalog of '" + lab + "': " + reason);
        index.failed(lab, reason, at);
    }
}
