package io.github.camelwecom.groupmsg.simulator;

/**
 * A member (employee) with their customers and owned group chats. Customers and chats are only counts: their ids are
 * derived from {@code key} when needed, so a member with thousands of customers costs a few bytes.
 */
record Member(int index, String userid, int customers, int chats, long key) {

    String externalUserId(int customer) {
        return Hashing.id("wm", Hashing.mix(key, 1, customer), 30);
    }

    String chatId(int chat) {
        return Hashing.id("wr", Hashing.mix(key, 2, chat), 30);
    }
}
