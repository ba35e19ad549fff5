package org.labspace.dataplane.restriction;

import org.junit.jupiter.api.Test;
import org.labspace.dataplane.filter.FilterParser;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamPlannerTest {

    private static final List<String> COLUMNS = List.of("id", "name", "email", "age", "city");

    @Test
    void noRestrictions_noRequest_isEverything() {
        var plan = StreamPlanner.plan(COLUMNS, Restrictions.NONE, StreamRequest.ALL);

        assertThat(plan.names()).isEqualTo(COLUMNS);
        assertThat(plan.filter()).isNull();
        assertThat(plan.limit()).isNull();
    }

    @Test
    void allowedAndDenied_narrowTheDefaultColumns_inSchemaOrder() {
        var restrictions = new Restrictions(Set.of("city", "id", "email"), Set.of("email"), Map.of(), null, null);

        assertThat(StreamPlanner.plan(COLUMNS, restrictions, StreamRequest.ALL).names()).containsExactly("id", "city");
    }

    @Test
    void askingForAnExcludedColumn_isForbidden_notDropped() {
        var restrictions = new Restrictions(null, Set.of("email"), Map.of(), null, null);

        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(List.of("id", "email"), null, null, 0)))
                .isInstanceOf(RestrictionException.class).hasMessage("column 'email' is not allowed by the agreement");
    }

    @Test
    void filteringOnAnExcludedOrMaskedColumn_isForbidden() {
        var restrictions = new Restrictions(null, Set.of("email"), Map.of("name", Restrictions.Mask.HASH), null, null);

        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, FilterParser.parse("email = 'a'"), null, 0)))
                .isInstanceOf(RestrictionException.class).hasMessageContaining("'email' is not allowed");
        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, FilterParser.parse("name = 'Ana'"), null, 0)))
                .isInstanceOf(RestrictionException.class).hasMessageContaining("'name' is masked");
    }

    @Test
    void unknownOrRepeatedColumns_areTheClientsMistake_andListOnlyAllowedColumns() {
        var restrictions = new Restrictions(null, Set.of("email"), Map.of(), null, null);

        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(List.of("idd"), null, null, 0)))
                .isInstanceOf(StreamRequestException.class)
                .hasMessage("the dataset has no column 'idd'; columns you may ask for: id, name, age, city");
        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(List.of("id", "id"), null, null, 0)))
                .isInstanceOf(StreamRequestException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(List.of(), null, null, 0)))
                .isInstanceOf(StreamRequestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new StreamRequest(null, null, -1L, 0)).isInstanceOf(StreamRequestException.class);
        assertThatThrownBy(() -> new StreamRequest(null, null, null, -5)).isInstanceOf(StreamRequestException.class);
    }

    @Test
    void agreementFilter_isAlwaysApplied_andTheRequestsFilterAdded() {
        var restrictions = new Restrictions(null, Set.of(), Map.of(), FilterParser.parse("city = 'Lisboa'"), null);

        var plan = StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, FilterParser.parse("age > 30"), null, 0));

        assertThat(plan.filter()).hasToString("(city = 'Lisboa' AND age > 30)");
        assertThat(StreamPlanner.plan(COLUMNS, restrictions, StreamRequest.ALL).filter()).hasToString("city = 'Lisboa'");
    }

    @Test
    void agreementFilter_onAColumnTheDatasetLost_failsClosed() {
        var restrictions = new Restrictions(null, Set.of(), Map.of(), FilterParser.parse("region = 'EU'"), null);

        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, StreamRequest.ALL))
                .isInstanceOf(RestrictionException.class).hasMessageContaining("no longer has");
    }

    @Test
    void rowCap_boundsLimitAndOffset() {
        var restrictions = new Restrictions(null, Set.of(), Map.of(), null, 100L);

        assertThat(StreamPlanner.plan(COLUMNS, restrictions, StreamRequest.ALL).limit()).isEqualTo(100L);
        assertThat(StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, null, 500L, 0)).limit()).isEqualTo(100L);
        assertThat(StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, null, 10L, 0)).limit()).isEqualTo(10L);
        assertThat(StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, null, null, 60)).limit()).isEqualTo(40L);
        assertThat(StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(null, null, null, 150)).limit()).isZero();
    }

    @Test
    void maskedColumns_areSentMasked() {
        var restrictions = new Restrictions(null, Set.of(), Map.of("email", Restrictions.Mask.HASH, "name", Restrictions.Mask.NULL), null, null);

        var plan = StreamPlanner.plan(COLUMNS, restrictions, new StreamRequest(List.of("email", "name", "id"), null, null, 0));

        assertThat(plan.columns()).containsExactly(new ScanPlan.OutputColumn("email", Restrictions.Mask.HASH),
                new ScanPlan.OutputColumn("name", Restrictions.Mask.NULL), new ScanPlan.OutputColumn("id", null));
        assertThat(restrictions.describe()).containsExactly("column email hashed", "column name nulled");
    }

    @Test
    void nothingAllowed_isForbidden() {
        var restrictions = new Restrictions(Set.of("ssn"), Set.of(), Map.of(), null, null);

        assertThatThrownBy(() -> StreamPlanner.plan(COLUMNS, restrictions, StreamRequest.ALL))
                .isInstanceOf(RestrictionException.class).hasMessageContaining("none of this dataset's columns");
    }
}
