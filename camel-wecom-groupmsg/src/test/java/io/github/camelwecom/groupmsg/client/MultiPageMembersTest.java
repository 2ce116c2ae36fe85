package io.github.camelwecom.groupmsg.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MultiPageMembersTest {

    @Test
    void aMemberIsRememberedWhileItsResultsTakeMoreThanOnePage() {
        MultiPageMembers members = new MultiPageMembers();
        assertThat(members.contains("zhangsan")).isFalse();

        members.pageRead("zhangsan", true, false);
        assertThat(members.contains("zhangsan")).isTrue();
        members.pageRead("zhangsan", false, true); // the last of several pages: still a multi-page member
        assertThat(members.contains("zhangsan")).isTrue();

        members.pageRead("zhangsan", true, true); // the next message's results fit one page
        assertThat(members.contains("zhangsan")).isFalse();
    }

    @Test
    void holdsAtMostItsLimitForgettingTheLeastRecentlyUsed() {
        MultiPageMembers members = new MultiPageMembers();
        for (int i = 0; i <= MultiPageMembers.MAX_MEMBERS; i++) {
            members.pageRead("user" + i, true, false);
        }
        assertThat(members.contains("user0")).isFalse();
        assertThat(members.contains("user1")).isTrue();
        assertThat(members.contains("user" + MultiPageMembers.MAX_MEMBERS)).isTrue();
    }
}
