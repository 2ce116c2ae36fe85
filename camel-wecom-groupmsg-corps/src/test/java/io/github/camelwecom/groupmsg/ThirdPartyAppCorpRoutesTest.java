package io.github.camelwecom.groupmsg;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelwecom.groupmsg.corps.CorpRoutes;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party app's corps kept by {@link CorpRoutes}: a route stopped by its corp's cancelled authorization stays
 * stopped while the corp's row is unchanged, and the new permanent code of a corp that authorized again gives it a new
 * route.
 */
class ThirdPartyAppCorpRoutesTest extends ThirdPartyAppTestSupport {

    @Test
    void aCorpThatAuthorizesAgainGetsANewRouteFromItsChangedRow() throws Exception {
        addTemplate("list", RANGE);
        List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
        rows.add(Map.of("corpId", corp(3), "permanentCode", code(3)));
        CorpRoutes corps = new CorpRoutes("wecom-corp", () -> rows);
        corps.setRefreshInterval(Duration.ofHours(1));
        context.addService(corps);
        String routeId = corps.routeId(corp(3));
        wecom.cancelAuthorization(SUITE, corp(3));

        corps.refresh();
        await(Duration.ofSeconds(30), () -> context.getRouteController().getRouteStatus(routeId)
                == ServiceStatus.Stopped,
                () -> routeId + " is " + context.getRouteController().getRouteStatus(routeId));
        corps.refresh();
        assertThat(context.getRouteController().getRouteStatus(routeId)).as("unchanged row: stays stopped")
                .isEqualTo(ServiceStatus.Stopped);

        String newCode = code(3) + "-again";
        wecom.authorizeCorp(SUITE, corp(3), newCode);
        rows.set(0, Map.of("corpId", corp(3), "permanentCode", newCode));
        corps.refresh();
        WecomGroupMsgConsumer consumer = (WecomGroupMsgConsumer) context.getRoute(routeId).getConsumer();
        await(Duration.ofSeconds(30), consumer::isFinished, () -> "the new route did not finish");
        ExportAssertions.assertExactly(got.get(routeId).bodies, truth("list", "single"));
    }
}
