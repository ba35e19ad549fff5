package org.labspace.catalog;

/**
 * A researcher's search. Every part is optional; given parts must all match.
 *
 * @param text    words that must each appear in the title, description or keywords
 * @param lab     only this lab's datasets
 * @param column  only datasets with a column of this name (case-insensitive)
 * @param license only this license (case-insensitive)
 */
public record SearchQuery(String text, String lab, String column, String license) {
}
