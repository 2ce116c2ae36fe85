package io.github.camelwecom.groupmsg.client;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure below WeCom: retried unless the body is too large, and never with the URL's secret or token. */
class WecomAnswerTest {

    @Test
    void transportFailureKeepsItsTextButNotTheQuery() {
        WecomApiException e = WecomAnswer.transportFailure(TokenApi.GETTOKEN.apiName(), new ConnectException(
                "connect to https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cret [refused]"));

        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getMessage()).contains("I/O failure: ConnectException").contains("gettoken?… [refused]")
                .doesNotContain("s3cret").doesNotContain("ww1");
    }

    @Test
    void tooLargeABodyIsNotAskedForAgain() {
        WecomApiException e = WecomAnswer.transportFailure(GroupMsgApi.LIST.path(),
                new HttpTransport.ResponseTooLargeException());

        assertThat(e.isRetriable()).isFalse();
        assertThat(e.getMessage()).contains("larger than " + HttpTransport.MAX_BODY_BYTES + " bytes");
    }
}
