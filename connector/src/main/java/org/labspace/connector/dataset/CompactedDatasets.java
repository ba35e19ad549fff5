package org.labspace.connector.dataset;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compacted JSON-LD of catalog datasets, keyed by a digest of each dataset's input, least recently used first out
 * when the texts exceed a size budget. A changed dataset has a new key, so nothing here goes stale; old entries
 * age out.
 */
public final class CompactedDatasets {

    private final long maxChars;
    private final LinkedHashMap<String, String> texts = new LinkedHashMap<>(1024, 0.75f, true);
    private long chars;
    private long hits;
    private long misses;

    /** @param maxBytes budget for the cached texts, counted as one byte per character (Latin-1 strings) */
    public CompactedDatasets(long maxBytes) {
        this.maxChars = maxBytes;
    }

    public synchronized String get(String key) {
        var text = texts.get(key);
        if (text == null) {
            misses++;
        } else {
            hits++;
        }
        return text;
    }

    public synchronized void put(String key, String text) {
        if (text.length() > maxChars) {
            return;
        }
        var previous = texts.put(key, text);
        chars += text.length() - (previous == null ? 0 : previous.length());
        var oldest = texts.entrySet().iterator();
        while (chars > maxChars && oldest.hasNext()) {
            Map.Entry<String, String> entry = oldest.next();
            chars -= entry.getValue().length();
            oldest.remove();
        }
    }

    public synchronized int size() {
        return texts.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
