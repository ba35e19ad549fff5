package org.labspace.connector.dataset;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.labspace.catalog.Croissant;
import org.labspace.catalog.FederatedIndex;
import org.labspace.connector.trust.NetworkRegistry;
import org.labspace.catalog.PeerStatus;
import org.labspace.catalog.SearchHit;
import org.labspace.catalog.SearchQuery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Search across the network's catalogs, as this lab last crawled them: {@code /labspace/v1/federated}.
 */
@Path("/labspace/v1/federated")
@Produces(MediaType.APPLICATION_JSON)
public class FederatedCatalogController {

    private final FederatedIndex index;
    private final FederatedCatalogCrawler crawler;
    private final java.util.function.Supplier<NetworkRegistry> registry;

    FederatedCatalogController(FederatedIndex index, FederatedCatalogCrawler crawler, java.util.function.Supplier<NetworkRegistry> registry) {
        this.index = index;
        this.crawler = crawler;
        this.registry = registry;
    }

    @GET
    @Path("datasets")
    public Response search(@QueryParam("q") String text, @QueryParam("lab") String lab, @QueryParam("column") String column,
                           @QueryParam("license") String license, @QueryParam("limit") String limit) {
        return search(index, text, lab, column, license, limit);
    }

    /** The federated search's answer, shared by the Management API and the research API. */
    public static Response search(FederatedIndex index, String text, String lab, String column, String license, String limitText) {
        // read here rather than as an Integer parameter, for which Jersey answers a malformed value with a bare 404
        Integer limit = null;
        if (limitText != null && !limitText.isBlank()) {
            try {
                limit = Integer.valueOf(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
        }
        if (limit != null && (limit < 1 || limit > 10_000)) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "'limit' must be a whole number between 1 and 10000, got '" + limitText + "'")).build();
        }
        var hits = index.search(new SearchQuery(blankToNull(text), blankToNull(lab), blankToNull(column), blankToNull(license)));
        var body = new LinkedHashMap<String, Object>();
        body.put("total", hits.size());
        body.put("results", hits.stream().limit(limit == null ? 100 : limit).map(FederatedCatalogController::view).toList());
        body.put("peers", peers(index.peers()));
        return Response.ok(body).type(MediaType.APPLICATION_JSON).build();
    }

    /** A dataset of another lab, as last crawled, described as MLCommons Croissant JSON-LD. */
    @GET
    @Path("datasets/{lab}/{id}/croissant")
    // JSON first: refusals (a wrong key, no such dataset) are plain JSON; the description itself is typed as JSON-LD
    @Produces({MediaType.APPLICATION_JSON, "application/ld+json"})
    public Response croissant(@PathParam("lab") String lab, @PathParam("id") String id) {
        var hit = index.find(lab, id);
        if (hit == null) {
            return Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("message", "no dataset '" + id + "' of lab '" + lab + "' in the federated catalog (crawl first?)")).build();
        }
        var member = registry.get().member(lab);
        var url = (member == null ? "urn:labspace:" + lab : member.dspEndpoint()) + "#dataset=" + id;
        return Response.ok(Croissant.of(hit.dataset(), url)).type("application/ld+json").build();
    }

    @GET
    @Path("peers")
    public Response peers() {
        return Response.ok(peers(index.peers())).build();
    }

    /** Crawls every peer now and answers when done; each peer has its own time limit. */
    @POST
    @Path("crawl")
    public Response crawl() {
        return Response.ok(peers(crawler.crawl())).build();
    }

    private static List<Map<String, Object>> peers(List<PeerStatus> peers) {
        return peers.stream().map(p -> {
            var view = new LinkedHashMap<String, Object>();
            view.put("lab", p.lab());
            view.put("lastAttempt", p.lastAttempt() == null ? null : p.lastAttempt().toString());
            view.put("lastSuccess", p.lastSuccess() == null ? null : p.lastSuccess().toString());
            view.put("lastError", p.lastError());
            view.put("datasets", p.datasets());
            return (Map<String, Object>) view;
        }).toList();
    }

    public static Map<String, Object> view(SearchHit hit) {
        var d = hit.dataset();
        var view = new LinkedHashMap<String, Object>();
        view.put("lab", d.lab());
        view.put("id", d.id());
        view.put("title", d.title());
        view.put("description", d.description());
        view.put("keywords", d.keywords());
        view.put("license", d.license());
        view.put("rowCount", d.rowCount());
        view.put("byteSize", d.byteSize());
        view.put("fileCount", d.fileCount());
        view.put("version", d.version());
        view.put("modified", d.modified());
        view.put("columns", d.columns());
        view.put("schemaSummary", schemaSummary(d.columns()));
        view.put("policy", d.usagePolicy() == null ? "offered under " + d.offerIds().size() + " policy(ies)"
                : "usage policy '" + d.usagePolicy() + "', access policy '" + d.accessPolicy() + "'");
        view.put("offerIds", d.offerIds());
        view.put("fetchedAt", hit.fetchedAt() == null ? null : hit.fetchedAt().toString());
        view.put("score", hit.score());
        return view;
    }

    private static String schemaSummary(List<org.labspace.catalog.DatasetSummary.Column> columns) {
        var names = columns.stream().limit(8).map(c -> c.name()).toList();
        return columns.size() + " columns" + (names.isEmpty() ? "" : ": " + String.join(", ", names) + (columns.size() > 8 ? ", ..." : ""));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
