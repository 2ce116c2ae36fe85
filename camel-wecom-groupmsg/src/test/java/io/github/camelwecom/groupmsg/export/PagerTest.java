package io.github.camelwecom.groupmsg.export;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.Page;
import io.github.camelwecom.groupmsg.client.WecomApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Paging that takes no cursor on trust, resumed at the positions it gave, as a consumer resumes at each poll: a server
 * whose cursors run in a cycle has each record of the cycle returned once, however often the sequence is resumed. The
 * server here is a map of pages, since the simulator's cursor fault is a page that names itself (a cycle of one page);
 * the consumer's behaviour with it is in CursorCycleTest.
 */
class PagerTest {

    /** "" → c1 → c2 → c1 → …: the third page sends the reader back to the second. */
    private static final Map<String, Page<String>> CYCLE_OF_TWO = Map.of(
            "", new Page<>(List.of("a", "b"), "c1"),
            "c1", new Page<>(List.of("c", "d"), "c2"),
            "c2", new Page<>(List.of("e", "f"), "c1"));

    @Test
    void aCycleOfTwoPagesIsReadOnceAcrossResumesAndThenFails() {
        List<String> got = new ArrayList<>();
        PagePosition at = PagePosition.START;
        for (int resume = 0; resume < 4; resume++) {
            Pager<String> pager = pager(CYCLE_OF_TWO, at);
            // take at most three records per "poll", keeping the position after each, as the consumer commits
            try {
                for (int i = 0; i < 3 && pager.hasNext(); i++) {
                    got.add(pager.next());
                    at = pager.position();
                }
            } catch (WecomApiException e) {
                assertThat(e.getMessage()).contains("repeated a next_cursor");
            }
        }
        assertThat(got).containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void aPositionInTheLastPageBeforeTheCycleResumesFromTheFirstPageSkippingWhatWasPassed() {
        Pager<String> first = pager(CYCLE_OF_TWO, PagePosition.START);
        for (int i = 0; i < 5; i++) {
            first.next();
        }
        PagePosition at = first.position();
        assertThat(at.cursor()).as("no cursor of the cycle").isEmpty();
        assertThat(at.ordinal()).isEqualTo(5);

        Pager<String> resumed = pager(CYCLE_OF_TWO, at);
        assertThat(resumed.next()).isEqualTo("f");
        assertThatThrownBy(resumed::hasNext).isInstanceOf(WecomApiException.class)
                .hasMessageContaining("repeated a next_cursor");
    }

    @Test
    void aSoundSequenceResumesAtItsCursorWithoutReadingTheFirstPageAgain() {
        Map<String, Page<String>> pages = Map.of("", new Page<>(List.of("a", "b"), "c1"),
                "c1", new Page<>(List.of("c", "d"), "c2"), "c2", new Page<>(List.of("e"), ""));
        Pager<String> first = pager(pages, PagePosition.START);
        first.next();
        first.next();
        first.next();
        PagePosition at = first.position();
        assertThat(at).isEqualTo(new PagePosition("c1", 1, 3));

        List<String> fetched = new ArrayList<>();
        Pager<String> resumed = new Pager<>(GroupMsgApi.LIST, cursor -> {
            fetched.add(cursor);
            return pages.get(cursor);
        }, at, Function.identity(), null);
        List<String> rest = new ArrayList<>();
        resumed.forEachRemaining(rest::add);
        assertThat(rest).containsExactly("d", "e");
        assertThat(fetched).containsExactly("c1", "c2");
        assertThat(resumed.position()).isEqualTo(PagePosition.finished(5));
    }

    private static Pager<String> pager(Map<String, Page<String>> pages, PagePosition from) {
        return new Pager<>(GroupMsgApi.LIST, pages::get, from, Function.identity(), null);
    }
}
