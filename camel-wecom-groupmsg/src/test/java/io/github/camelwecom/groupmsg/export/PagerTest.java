package io.github.camelwecom.groupmsg.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.Page;
import io.github.camelwecom.groupmsg.client.WecomApiException;
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

    /** WeCom's errcode for a cursor it no longer takes. */
    private static final int INVALID_CURSOR = 50100;

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

    /** "" → c1 → c2 → end. */
    private static final Map<String, Page<String>> THREE_PAGES = Map.of("", new Page<>(List.of("a", "b"), "c1"),
            "c1", new Page<>(List.of("c", "d"), "c2"), "c2", new Page<>(List.of("e"), ""));

    @Test
    void anInvalidCursorReadsAgainFromTheFirstPageSkippingWhatWasPassed() {
        List<String> fetched = new ArrayList<>();
        Pager<String> pager = new Pager<>(GroupMsgApi.LIST, cursor -> {
            fetched.add(cursor);
            if (cursor.equals("c1") && fetched.indexOf("c1") == fetched.size() - 1) {
                throw refusal(INVALID_CURSOR); // only the first time
            }
            return THREE_PAGES.get(cursor);
        }, PagePosition.START, Function.identity(), null);
        List<String> got = new ArrayList<>();
        pager.forEachRemaining(got::add);
        assertThat(got).containsExactly("a", "b", "c", "d", "e");
        assertThat(fetched).containsExactly("", "c1", "", "c1", "c2");
        assertThat(pager.position()).isEqualTo(PagePosition.finished(5));
    }

    @Test
    void aCursorRefusedOnEveryRestartFailsAfterTheLastOne() {
        List<String> fetched = new ArrayList<>();
        Pager<String> pager = new Pager<>(GroupMsgApi.LIST, cursor -> {
            fetched.add(cursor);
            if (cursor.equals("c1")) {
                throw refusal(INVALID_CURSOR);
            }
            return THREE_PAGES.get(cursor);
        }, PagePosition.START, Function.identity(), null);
        assertThat(pager.next()).isEqualTo("a");
        assertThat(pager.next()).isEqualTo("b");
        assertThatThrownBy(pager::hasNext).isInstanceOf(WecomApiException.class)
                .satisfies(e -> assertThat(((WecomApiException) e).isInvalidCursor()).isTrue());
        assertThat(fetched).filteredOn(""::equals).hasSize(1 + Pager.MAX_RESTARTS);
    }

    @Test
    void aRefusalOtherThanOfTheCursorFailsAndLeavesThePositionWhereItWas() {
        Pager<String> pager = new Pager<>(GroupMsgApi.TASK, cursor -> {
            if (cursor.equals("c1")) {
                throw refusal(60011);
            }
            return THREE_PAGES.get(cursor);
        }, PagePosition.START, Function.identity(), null);
        pager.next();
        pager.next();
        assertThatThrownBy(pager::hasNext).isInstanceOf(WecomApiException.class)
                .satisfies(e -> assertThat(((WecomApiException) e).getErrcode()).isEqualTo(60011));
        assertThat(pager.position()).as("resuming reads c1 again").isEqualTo(new PagePosition("c1", 0, 2));

        Pager<String> first = new Pager<>(GroupMsgApi.TASK, cursor -> {
            throw refusal(60011);
        }, PagePosition.START, Function.identity(), null);
        assertThatThrownBy(first::hasNext).isInstanceOf(WecomApiException.class);
        assertThat(first.position()).isEqualTo(PagePosition.START);
    }

    @Test
    void recordsRepeatedWithinAndAcrossPagesAreReturnedOnceAndCountedAsPassed() {
        Map<String, Page<String>> pages = Map.of("", new Page<>(List.of("a", "b", "a"), "c1"),
                "c1", new Page<>(List.of("b", "c"), ""));
        Pager<String> pager = pager(pages, PagePosition.START);
        List<String> got = new ArrayList<>();
        pager.forEachRemaining(got::add);
        assertThat(got).containsExactly("a", "b", "c");
        assertThat(pager.position()).isEqualTo(PagePosition.finished(5));
    }

    @Test
    void recordsTheCallerDoesNotAcceptArePassedOverAndAResumeSkipsThemByCount() {
        Map<String, Page<String>> pages = Map.of("", new Page<>(List.of("a", "x", "b", "x", "c"), ""));
        Pager<String> pager = new Pager<>(GroupMsgApi.LIST, pages::get, PagePosition.START, Function.identity(),
                r -> !r.equals("x"));
        assertThat(pager.next()).isEqualTo("a");
        assertThat(pager.position()).as("past the x that follows").isEqualTo(new PagePosition("", 2, 2));

        Pager<String> resumed = new Pager<>(GroupMsgApi.LIST, pages::get, pager.position(), Function.identity(),
                r -> !r.equals("x"));
        List<String> rest = new ArrayList<>();
        resumed.forEachRemaining(rest::add);
        assertThat(rest).containsExactly("b", "c");
        assertThat(resumed.position()).isEqualTo(PagePosition.finished(5));
    }

    @Test
    void aPositionInsideAPageResumesAtItsOffset() {
        List<String> fetched = new ArrayList<>();
        Pager<String> pager = new Pager<>(GroupMsgApi.RESULT, cursor -> {
            fetched.add(cursor);
            return THREE_PAGES.get(cursor);
        }, new PagePosition("c1", 1, 3), Function.identity(), null);
        List<String> rest = new ArrayList<>();
        pager.forEachRemaining(rest::add);
        assertThat(rest).containsExactly("d", "e");
        assertThat(fetched).containsExactly("c1", "c2");
    }

    @Test
    void aFinishedPositionReadsNothing() {
        Pager<String> pager = new Pager<>(GroupMsgApi.RESULT, cursor -> {
            throw new AssertionError("fetched " + cursor);
        }, PagePosition.finished(7), Function.identity(), null);
        assertThat(pager.hasNext()).isFalse();
        assertThat(pager.position()).isEqualTo(PagePosition.finished(7));
    }

    @Test
    void anEmptyPageWithANextCursorIsPassedAndOnlyARecordInAPageReadIsBuffered() {
        Map<String, Page<String>> pages = Map.of("", new Page<>(List.of(), "c1"),
                "c1", new Page<>(List.of("a", "b"), "c2"), "c2", new Page<>(List.of("c"), ""));
        Pager<String> pager = pager(pages, PagePosition.START);
        assertThat(pager.hasBuffered()).as("nothing read yet").isFalse();
        assertThat(pager.next()).isEqualTo("a");
        assertThat(pager.hasBuffered()).isTrue();
        assertThat(pager.next()).isEqualTo("b");
        assertThat(pager.hasBuffered()).as("the next page is not read yet").isFalse();
        assertThat(pager.next()).isEqualTo("c");
        assertThat(pager.hasNext()).isFalse();
    }

    private static WecomApiException refusal(int errcode) {
        return WecomApiException.ofErrcode(GroupMsgApi.LIST.path(), errcode, "refused");
    }

    private static Pager<String> pager(Map<String, Page<String>> pages, PagePosition from) {
        return new Pager<>(GroupMsgApi.LIST, pages::get, from, Function.identity(), null);
    }
}
