package io.github.camelwecom.groupmsg.export;

import java.util.List;
import java.util.stream.IntStream;

import io.github.camelwecom.groupmsg.client.model.GroupMsgSendResult;
import io.github.camelwecom.groupmsg.export.ExportRecord.Change;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a send result is to the reader, given what it was handed of that member before: a result comes again exactly
 * when its own status changed. A member's results read just after it sent, while its task read just before said unsent,
 * come once: when the task then says sent they are what the reader has.
 */
class ResultsViewTest {

    @Test
    void aResultComesAgainExactlyWhenItsOwnStatusChanged() {
        ResultsView first = view(List.of(result("a", 0), result("b", 0), result("c", 1)));
        assertThat(first.unsent()).as("mixed: the unsent ones by hash").hasSize(2);
        assertThat(first.change(result("a", 1))).isEqualTo(Change.UPDATED);
        assertThat(first.change(result("b", 0))).isEqualTo(Change.NONE);
        assertThat(first.change(result("c", 1))).as("a final result does not change").isEqualTo(Change.NONE);
        assertThat(first.change(result("d", 0))).as("never handed on").isEqualTo(Change.NEW);
        assertThat(ResultsView.NONE.change(result("a", 1))).isEqualTo(Change.NEW);
    }

    @Test
    void resultsReadAfterTheMemberSentAreHandedOnOnceWhateverItsTaskSaidThen() {
        List<GroupMsgSendResult> delivered = List.of(result("a", 1), result("b", 2), result("c", 3));
        ResultsView straddled = view(delivered); // NEW, in their final status
        assertThat(delivered).allMatch(r -> straddled.change(r) == Change.NONE);
        assertThat(new MemberState(1, false, straddled, 0, 0).settled()).as("its task said unsent").isFalse();
        assertThat(new MemberState(2, true, straddled, 0, 0).settled()).isTrue();
    }

    @Test
    void allUnsentIsACountAndAMemberInProgressKeepsEveryHashAcrossParts() {
        List<GroupMsgSendResult> unsent = IntStream.range(0, 500).mapToObj(i -> result("u" + i, 0)).toList();
        ResultsView all = view(unsent);
        assertThat(all.unsent()).as("all unsent: no hash kept").isNull();
        assertThat(all.encodedSize()).isEqualTo(8);
        assertThat(all.change(result("u7", 2))).isEqualTo(Change.UPDATED);

        // a checkpoint in the middle of the member, then the rest read after a resume, with one delivered meanwhile
        ResultsView.Builder before = new ResultsView.Builder();
        unsent.subList(0, 200).forEach(before::add);
        ResultsView.Builder resumed = new ResultsView.Builder();
        resumed.addAll(before.partial());
        unsent.subList(200, 499).forEach(resumed::add);
        resumed.add(result("u499", 1));
        ResultsView whole = resumed.build();
        assertThat(whole.count()).isEqualTo(500);
        assertThat(whole.unsent()).hasSize(499);
        assertThat(whole.change(result("u0", 1))).as("from the part before the resume").isEqualTo(Change.UPDATED);
        assertThat(whole.change(result("u499", 1))).isEqualTo(Change.NONE);
    }

    private static ResultsView view(List<GroupMsgSendResult> results) {
        ResultsView.Builder builder = new ResultsView.Builder();
        results.forEach(builder::add);
        return builder.build();
    }

    private static GroupMsgSendResult result(String customer, int status) {
        GroupMsgSendResult r = new GroupMsgSendResult();
        r.setExternalUserid(customer);
        r.setUserid("member");
        r.setStatus(status);
        return r;
    }
}
