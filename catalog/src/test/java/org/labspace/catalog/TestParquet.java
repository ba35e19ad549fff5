package org.labspace.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Writes small Parquet datasets for tests with DuckDB. */
final class TestParquet {

    private TestParquet() {
    }

    /** Runs SQL statements; {@code {out}} is replaced by the quoted output path. */
    static Path write(Path out, String... statements) throws SQLException, java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql.replace("{out}", "'" + out.toAbsolutePath().toString().replace("'", "''") + "'"));
            }
        }
        return out;
    }

    /** Air quality readings: {@code rows} rows, station ids 1..10, pm25 with some nulls, in row groups of 2048 (DuckDB cuts row groups at multiples of 2048 rows). */
    static Path airQuality(Path out, int rows) throws Exception {
        return write(out,
                "CREATE TABLE readings (id BIGINT NOT NULL, station INTEGER, pm25 DOUBLE, city VARCHAR, measured TIMESTAMP)",
                "INSERT INTO readings SELECT range, range % 10 + 1, CASE WHEN range % 7 = 0 THEN NULL ELSE (range % 50) / 2.0 END, "
                        + "CASE WHEN range % 2 = 0 THEN 'Madrid' ELSE 'Lisboa' END, TIMESTAMP '2024-01-01' + INTERVAL (range) MINUTE FROM range(" + rows + ")",
                "COPY readings TO {out} (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
}
