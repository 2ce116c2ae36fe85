package io.github.camelwecom.groupmsg.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure below WeCom: which kind it is, retried unless the body is too large or the host does not resolve, and never
 * with the URL's secret or token. ConnectionFailureTest makes the JDK client's own failures on real sockets; these are
 * the forms other JDKs and resolvers may report.
 */
class WecomAnswerTest {

    private static final URI GETTOKEN = URI.create(
            "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cret");

    private static WecomApiException failure(IOException e) {
        return WecomAnswer.transportFailure(TokenApi.GETTOKEN.apiName(),
                HttpTransport.Failed.of(e, GETTOKEN, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void aNetworkFailureKeepsItsTextButNotTheQuery() {
        WecomApiException e = failure(new IOException("closed: " + GETTOKEN + " [reset]"));

        assertThat(e.getKind()).isEqualTo(WecomApiException.Kind.NETWORK);
        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getMessage()).contains("network failure with qyapi.weixin.qq.com:443: IOException: closed: ")
                .contains("gettoken?… [reset]").doesNotContain("s3cret").doesNotContain("ww1");
    }

    @Test
    void aConnectExceptionThatSaysRefusedIsARefusal() {
        WecomApiException e = failure(new ConnectException("Connection refused"));

        assertThat(e.getKind()).isEqualTo(WecomApiException.Kind.CONNECTION_REFUSED);
        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("WeCom gettoken failed: connection refused by qyapi.weixin.qq.com:443");
    }

    @Test
    void anUnknownHostBelowAConnectExceptionIsAnUnknownHost() {
        WecomApiException e = failure((IOException) new ConnectException().initCause(
                new UnknownHostException("qyapi.weixin.qq.com")));

        assertThat(e.getKind()).isEqualTo(WecomApiException.Kind.UNKNOWN_HOST);
        assertThat(e.isRetriable()).as("a resolver can fail for a while").isTrue();
    }

    @Test
    void tooLargeABodyIsNotAskedForAgain() {
        WecomApiException e = failure(new IOException("", new HttpTransport.ResponseTooLargeException()));

        assertThat(e.getKind()).isEqualTo(WecomApiException.Kind.BAD_ANSWER);
        assertThat(e.isRetriable()).isFalse();
        assertThat(e.getMessage()).contains("larger than " + HttpTransport.MAX_BODY_BYTES + " bytes");
    }
}
