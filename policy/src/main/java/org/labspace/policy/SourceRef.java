package org.labspace.policy;

/**
 * Where something was written in a policy file: the file name, the line (1-based, 0 when unknown) and the JSON
 * path, e.g. {@code clinical.yaml:14 ($.allow[0].when.memberCountry)}.
 */
public record SourceRef(String file, int line, String path) {

    public static final SourceRef NONE = new SourceRef("", 0, "$");

    public SourceRef at(String childPath, int childLine) {
        return new SourceRef(file, childLine, childPath);
    }

    @Override
    public String toString() {
        var place = file.isEmpty() ? "" : line > 0 ? file + ":" + line + " " : file + " ";
        return place + "(" + path + ")";
    }
}
