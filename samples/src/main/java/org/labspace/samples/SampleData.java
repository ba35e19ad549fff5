package org.labspace.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;

/**
 * The sample's synthetic datasets, written as Parquet by DuckDB. Deterministic (values come from hashes of row
 * numbers, not from a random generator) and never real personal data. Each dataset is written to a temporary folder
 * and moved into place, so an interrupted run never leaves half a dataset.
 */
public final class SampleData {

    /** Rows of the air quality dataset: 50 stations, hourly, 2022 to 2024. */
    public static final long AIR_QUALITY_ROWS = 50L * 26_304;

    private SampleData() {
    }

    /** Writes the sample's datasets that are missing under the folder given: {@code SampleData DATASETS_DIR}. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SampleData DATASETS_DIR");
            System.exit(2);
        }
        var root = Path.of(args[0]);
        for (var dataset : java.util.List.<java.util.function.Function<Path, Path>>of(SampleData::airQuality, SampleData::clinical, SampleData::energyGrid,
                SampleData::solar)) {
            var started = System.nanoTime();
            var path = dataset.apply(root);
            System.out.printf("      %s (%.1f s)%n", root.relativize(path), (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Hourly air quality at 50 Madrid stations from 2022 to 2024, partitioned by year. Shaped like city air: more
     * pollution in winter and at rush hours, busier stations higher than quiet ones, and a stagnant-air episode on
     * about one day in twenty; about 1% of PM10 readings missing.
     */
    static Path airQuality(Path root) {
        return ensure(root.resolve("lab-madrid/air-quality"), """
                COPY (
                  SELECT station, measured, year,
                         round(greatest(1, base + (hash(station, epoch(measured)) % 800) / 100.0 - 4), 2) AS pm25,
                         round(greatest(2, 1.9 * base + 8 * rush + (hash(epoch(measured), station) % 1500) / 100.0 - 7), 2) AS no2,
                         CASE WHEN hash(station * 31 + epoch(measured)) % 97 = 0 THEN NULL
                              ELSE round(greatest(2, 1.6 * base + (hash(station + epoch(measured)) % 1200) / 100.0 - 6), 2) END AS pm10
                  FROM (
                    SELECT station, measured, year(measured) AS year,
                           CAST(hour(measured) IN (8, 9, 19, 20, 21) AS INTEGER) AS rush,
                           11 + 6 * cos(2 * pi() * (dayofyear(measured) - 15) / 365.25)
                              + 5 * CAST(hour(measured) IN (8, 9, 19, 20, 21) AS INTEGER)
                              + (station % 7) * 1.5
                              + CASE WHEN hash(CAST(measured AS DATE)) % 20 = 0 THEN 22 ELSE 0 END AS base
                    FROM range(1, 51) s(station),
                         range(TIMESTAMP '2022-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 HOUR) t(measured)
                  )
                ) TO {out} (FORMAT parquet, PARTITION_BY (year))""");
    }

    /** A clinical-style sandbox: 5,000 synthetic patients, with columns that would be personal data if real. */
    static Path clinical(Path root) {
        return ensure(root.resolve("lab-madrid/clinical-sandbox.parquet"), """
                COPY (
                  SELECT i AS patient_id,
                         ['Lucía','Hugo','Martina','Mateo','Sofía','Leo','Julia','Daniel'][CAST(1 + hash(i) % 8 AS BIGINT)] || ' ' ||
                         ['García','Fernández','González','Rodríguez','López','Martínez'][CAST(1 + hash(i * 7) % 6 AS BIGINT)] AS full_name,
                         DATE '1940-01-01' + CAST(hash(i * 13) % 25000 AS INTEGER) AS birth_date,
                         lpad(CAST(28000 + hash(i * 17) % 1000 AS VARCHAR), 5, '0') AS postal_code,
                         ['J45','E11','I10','F32','C50','K21'][CAST(1 + hash(i * 19) % 6 AS BIGINT)] AS diagnosis_icd10,
                         round(18 + (hash(i * 23) % 2500) / 100.0, 1) AS bmi,
                         hash(i * 29) % 2 = 0 AS smoker
                  FROM range(1, 5001) p(i)
                ) TO {out} (FORMAT parquet)""");
    }

    /** Hourly load at 40 Portuguese substations over 2024. */
    static Path energyGrid(Path root) {
        return ensure(root.resolve("lab-lisbon/energy-grid.parquet"), """
                COPY (
                  SELECT 'PT-SUB-' || lpad(CAST(substation AS VARCHAR), 3, '0') AS substation, measured,
                         round(20 + 15 * sin(2 * pi() * hour(measured) / 24) + (hash(substation, epoch(measured)) % 1000) / 100.0, 2) AS load_mw,
                         round(49.95 + (hash(epoch(measured), substation) % 10) / 100.0, 2) AS frequency_hz
                  FROM range(1, 41) s(substation),
                       range(TIMESTAMP '2024-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 HOUR) t(measured)
                ) TO {out} (FORMAT parquet)""");
    }

    /** Daily solar irradiance at 25 sites in Portugal, 2023 and 2024. */
    static Path solar(Path root) {
        return ensure(root.resolve("lab-lisbon/solar-irradiance.parquet"), """
                COPY (
                  SELECT site, day,
                         round(2 + 3 * (1 + cos(2 * pi() * (dayofyear(day) - 172) / 365)) + (hash(site, epoch(day)) % 100) / 100.0, 2) AS ghi_kwh_m2,
                         round(38 + (site % 5) * 0.5, 2) AS latitude
                  FROM range(1, 26) s(site), range(DATE '2023-01-01', DATE '2025-01-01', INTERVAL 1 DAY) d(day)
                ) TO {out} (FORMAT parquet)""");
    }

    private static Path ensure(Path target, String copy) {
        if (Files.exists(target)) {
            return target;
        }
        var temp = target.resolveSibling("." + target.getFileName() + ".writing");
        try {
            delete(temp);
            Files.createDirectories(target.getParent());
            try (var db = DriverManager.getConnection("jdbc:duckdb:"); var statement = db.createStatement()) {
                statement.execute(copy.replace("{out}", "'" + temp.toAbsolutePath().toString().replace("'", "''") + "'"));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot write the sample dataset " + target + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
