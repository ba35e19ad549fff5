package org.labspace.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this lab knows of the other labs' catalogs: the datasets from each lab's last good crawl, and how each crawl
 * went. Kept in one JSON file, rewritten atomically after every change, so a restart starts from the last crawl.
 * A failed crawl keeps the lab's previous datasets and records the error.
 */
public final class FederatedIndex {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private record LabEntry(PeerStatus status, List<DatasetSummary> datasets) {
    }

    private final Path file;
    private final Map<String, LabEntry> labs = new ConcurrentHashMap<>();
    // lower-cased searchable text per dataset, rebuilt when a lab's catalog changes
    private volatile List<Indexed> indexed = List.of();

    private record Indexed(DatasetSummary dataset, String title, String description, List<String> keywords, List<String> columns, Instant fetchedAt) {
    }

    /**
     * @param file where the index is kept; read now if it exists (a damaged file is set aside and the index starts empty)
     */
    public FederatedIndex(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                Map<String, LabEntry> stored = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, LabEntry>>() {
                });
                labs.putAll(stored);
            } catch (IOException e) {
                try {
                    Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ignored) {
                    // start empty either way
                }
            }
        }
        reindex();
    }

    public synchronized void succeeded(String lab, List<DatasetSummary> datasets, Instant at) {
        labs.put(lab, new LabEntry(new PeerStatus(lab, at, at, null, datasets.size()), List.copyOf(datasets)));
        reindex();
        persist();
    }

    public synchronized void failed(String lab, String error, Instant at) {
        var previous = labs.get(lab);
        var datasets = previous == null ? List.<DatasetSummary>of() : previous.datasets();
        var lastSuccess = previous == null ? null : previous.status().lastSuccess();
        labs.put(lab, new LabEntry(new PeerStatus(lab, at, lastSuccess, error, datasets.size()), datasets));
        reindex();
        persist();
    }

    /** Forgets labs that left the network. */
    public synchronized void retainOnly(java.util.Set<String> members) {
        if (labs.keySet().retainAll(members)) {
            reindex();
            persist();
        }
    }

    public List<PeerStatus> peers() {
        return labs.values().stream().map(LabEntry::status).sorted(Comparator.comparing(PeerStatus::lab)).toList();
    }

    /** One lab's dataset as last crawled, or null. */
    public SearchHit find(String lab, String id) {
        return indexed.stream().filter(e -> e.dataset().lab().equals(lab) && java.util.Objects.equals(e.dataset().id(), id))
                .findFirst().map(e -> new SearchHit(e.dataset(), 0, e.fetchedAt())).orElse(null);
    }

    public int size() {
        return indexed.size();
    }

    /**
     * Datasets matching every given part of the query, best first: an exact title match, then keywords equal to a
     * query word, then words in the title, then words in the description.
     */
    public List<SearchHit> search(SearchQuery query) {
        var words = words(query.text());
        var column = lower(query.column());
        var license = lower(query.license());
        var phrase = query.text() == null ? "" : query.text().strip().toLowerCase(Locale.ROOT);
        var hits = new ArrayList<SearchHit>();
        for (var entry : indexed) {
            var d = entry.dataset();
            if (query.lab() != null && !query.lab().equals(d.lab())) {
                continue;
            }
            if (column != null && !entry.columns().contains(column)) {
                continue;
            }
            if (license != null && !license.equals(lower(d.license()))) {
                continue;
            }
            var score = 0;
            var all = true;
            for (var word : words) {
                var wordScore = 0;
                if (entry.keywords().contains(word)) {
                    wordScore += 50;
                }
                if (entry.title().contains(word)) {
                    wordScore += 10;
                }
                if (entry.description().contains(word)) {
                    wordScore += 1;
                }
                if (wordScore == 0 && entry.keywords().stream().noneMatch(k -> k.contains(word))) {
                    all = false;
                    break;
                }
                score += Math.max(wordScore, 1);
            }
            if (!all) {
                continue;
            }
            if (!phrase.isEmpty() && entry.title().equals(phrase)) {
                score += 1000;
            }
            hits.add(new SearchHit(d, score, entry.fetchedAt()));
        }
        hits.sort(Comparator.comparingInt(SearchHit::score).reversed()
                .thenComparing(h -> h.dataset().title() == null ? "" : h.dataset().title())
                .thenComparing(h -> h.dataset().lab()));
        return hits;
    }

    private void reindex() {
        var entries = new ArrayList<Indexed>();
        for (var lab : labs.values()) {
            for (var d : lab.datasets()) {
                entries.add(new Indexed(d, lower(d.title()) == null ? "" : lower(d.title()), lower(d.description()) == null ? "" : lower(d.description()),
                        d.keywords().stream().map(FederatedIndex::lower).toList(),
                        d.columns().stream().map(c -> lower(c.name())).toList(), lab.status().lastSuccess()));
            }
        }
        indexed = List.copyOf(entries);
    }

    private void persist() {
        try {
            DurableFile.replace(file, JSON.writeValueAsBytes(labs));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the federated catalog in " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
