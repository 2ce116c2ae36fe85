package io.github.camelwecom.groupmsg.corps;

import java.util.List;
import java.util.Map;

/**
 * The corps to export, as data: one map of route template parameters per corp, each with a {@value #CORP_ID}. A service
 * provider's list of authorized corps (a table, a config service, its authorization callback's store) is read through
 * this, so that adding a corp is a row, not a code change.
 */
@FunctionalInterface
public interface CorpSource {

    /** The parameter every corp has; it names the corp's route. */
    String CORP_ID = "corpId";

    /** The corps now, each a map of template parameters with a non-empty {@value #CORP_ID}. */
    List<Map<String, Object>> corps() throws Exception;
}
