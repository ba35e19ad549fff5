package org.labspace.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * What a lab administrator says about a dataset when registering it. Everything else is read from the files.
 *
 * @param id           the dataset id in this lab, e.g. {@code air-quality}
 * @param path         a Parquet file or a folder of Parquet files, on the connector's machine
 * @param accessPolicy id of the policy that decides who sees the dataset in the catalog
 * @param usagePolicy  id of the policy that decides who may get an agreement, and on what terms
 */
public record DatasetRegistration(String id, String path, String title, String description, List<String> keywords,
                                  String license, String accessPolicy, String usagePolicy) {

    public static final String ID_PATTERN = "[a-z0-9][a-z0-9._-]{0,127}";

    public DatasetRegistration {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }

    /** Every problem, one line each naming the field; empty when the registration can be tried. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        if (id == null || !id.matches(ID_PATTERN)) {
            problems.add("'id' must be 1 to 128 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit; got '" + id + "'");
        }
        if (path == null || path.isBlank()) {
            problems.add("'path' is missing: the Parquet file or folder to register");
        }
        if (title == null || title.isBlank()) {
            problems.add("'title' is missing");
        }
        if (accessPolicy == null || accessPolicy.isBlank()) {
            problems.add("'accessPolicy' is missing: the id of the policy deciding who sees the dataset");
        }
        if (usagePolicy == null || usagePolicy.isBlank()) {
            problems.add("'usagePolicy' is missing: the id of the policy deciding who may use the dataset");
        }
        for (var keyword : keywords) {
            if (keyword == null || keyword.isBlank()) {
                problems.add("'keywords' holds an empty keyword");
            }
        }
        return problems;
    }
}
