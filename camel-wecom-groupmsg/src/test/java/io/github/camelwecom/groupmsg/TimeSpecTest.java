package io.github.camelwecom.groupmsg;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeSpecTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock NOW = Clock.fixed(Instant.parse("2025-10-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void epochSeconds() {
        assertThat(TimeSpec.parse("1756656000", SHANGHAI, NOW)).isEqualTo(1756656000L);
    }

    @Test
    void dateIsMidnightInTheZone() {
        assertThat(TimeSpec.parse("2025-09-01", SHANGHAI, NOW))
                .isEqualTo(Instant.parse("2025-08-31T16:00:00Z").getEpochSecond());
        assertThat(TimeSpec.parse("2025-09-01", ZoneOffset.UTC, NOW))
                .isEqualTo(Instant.parse("2025-09-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void dateTimeWithOffsetIgnoresTheZone() {
        assertThat(TimeSpec.parse("2025-09-01T08:00:00+08:00", ZoneOffset.UTC, NOW))
                .isEqualTo(Instant.parse("2025-09-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void localDateTimeUsesTheZone() {
        assertThat(TimeSpec.parse("2025-09-01T08:00:00", SHANGHAI, NOW))
                .isEqualTo(Instant.parse("2025-09-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void negativeDurationCountsBackFromNow() {
        assertThat(TimeSpec.parse("-P7D", SHANGHAI, NOW))
                .isEqualTo(Instant.parse("2025-09-24T00:00:00Z").getEpochSecond());
        assertThat(TimeSpec.parse("-PT6H", SHANGHAI, NOW))
                .isEqualTo(Instant.parse("2025-09-30T18:00:00Z").getEpochSecond());
    }

    @Test
    void positiveDurationIsRefused() {
        assertThatThrownBy(() -> TimeSpec.parse("P7D", SHANGHAI, NOW)).hasMessageContaining("must be negative");
    }

    @Test
    void garbageNamesTheFormats() {
        assertThatThrownBy(() -> TimeSpec.parse("yesterday", SHANGHAI, NOW))
                .hasMessageContaining("'yesterday'").hasMessageContaining("ISO date");
        assertThatThrownBy(() -> TimeSpec.parse("2025-13-01", SHANGHAI, NOW)).hasMessageContaining("2025-13-01");
    }
}
