/*
 * test_second_edition.c — SPEC §13 through the C ABI: the score result's groups,
 * engagement and priority, behavior_since from advance and move, and
 * funnel_batch_score_levels with the engagement introspection.
 */
#include "test_support.h"

/* Email opens (2 each, group "email" limited to 5), a frequency rule (10 for
 * 2 pricing visits in 7 days), total limits, grades and engagement levels; a
 * nurture stage that resets behaviour, then mql on engagement "1". */
static const char SECOND_MODEL[] =
    "{\"format\":\"funnel.model/1\",\"attributes\":{\"industry\":\"string\"},"
    "\"scoring\":{\"fit\":[{\"id\":\"sw\",\"if\":{\"attr\":\"industry\",\"eq\":\"software\"},\"points\":30}],"
    "\"behavior\":[{\"id\":\"open\",\"event\":\"email.open\",\"points\":2,\"group\":\"email\"},"
    "{\"id\":\"pricing\",\"event\":\"page.pricing\",\"points\":10,\"at_least\":{\"count\":2,\"within_days\":7}}],"
    "\"groups\":[{\"id\":\"email\",\"limit\":5}],\"total_limits\":{\"min\":0,\"max\":40},"
    "\"grades\":[{\"grade\":\"A\",\"min\":25}],"
    "\"engagement\":[{\"level\":\"1\",\"min\":12},{\"level\":\"2\",\"min\":1}]},"
    "\"stages\":{\"initial\":\"new\",\"list\":[{\"id\":\"new\"},"
    "{\"id\":\"nurture\",\"resets_behavior\":true},"
    "{\"id\":\"mql\",\"enter_when\":{\"result\":\"engagement\",\"eq\":\"1\"}}],"
    "\"transitions\":[{\"from\":\"new\",\"to\":[\"nurture\",\"mql\"]},{\"from\":\"nurture\",\"to\":\"mql\"}]}}";

/* At T: opens 3 × 2 = 6 → group 5; pricing twice in 7 days → 10; behaviour 15,
 * engagement "1"; fit 30, total 45 → 40; priority "A1". */
static const char HOT_LEAD[] =
    "{\"id\":\"H\",\"attributes\":{\"industry\":\"Software\"},\"events\":["
    "{\"type\":\"email.open\",\"at\":999990000},{\"type\":\"email.open\",\"at\":999990000},"
    "{\"type\":\"email.open\",\"at\":999990000},{\"type\":\"page.pricing\",\"at\":999395200},"
    "{\"type\":\"page.pricing\",\"at\":999990000}]}";

static void check_score_json(funnel_model *m) {
    char *out = NULL;
    char buf[16];
    CHECK_STATUS(funnel_score_json(m, HOT_LEAD, strlen(HOT_LEAD), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "behavior"), 15);
    CHECK_NEAR(json_number(out, "total"), 40);
    CHECK_CONTAINS(out, "\"groups\":[{\"group\":\"email\",\"points\":5}]");
    CHECK_STR(json_string(out, "engagement", buf, sizeof buf), "1");
    CHECK_STR(json_string(out, "priority", buf, sizeof buf), "A1");
    funnel_string_free(out);

    /* one pricing visit is not enough: no contribution, engagement "2", no grade, no priority */
    out = NULL;
    {
        static const char lead[] = "{\"id\":\"C\",\"events\":[{\"type\":\"page.pricing\",\"at\":999990000},"
                                   "{\"type\":\"email.open\",\"at\":999990000}]}";
        CHECK_STATUS(funnel_score_json(m, lead, strlen(lead), T, &out), FUNNEL_OK);
        CHECK_CONTAINS(out, "\"contributions\":[{\"rule\":\"open\",\"points\":2}]");
        CHECK_CONTAINS(out, "\"engagement\":\"2\",\"priority\":null");
        funnel_string_free(out);
    }
}

static void check_reset(funnel_model *m) {
    char *out = NULL;
    /* In nurture already: hot on old events, so on to mql; no reset. */
    static const char in_nurture[] =
        "{\"id\":\"N\",\"stage\":\"nurture\",\"events\":[{\"type\":\"page.pricing\",\"at\":999395200},"
        "{\"type\":\"page.pricing\",\"at\":999990000},{\"type\":\"email.open\",\"at\":999990000}]}";
    CHECK_STATUS(funnel_advance_json(m, in_nurture, strlen(in_nurture), T, &out), FUNNEL_OK);
    CHECK_CONTAINS(out, "\"stage\":\"mql\"");
    CHECK(out != NULL && strstr(out, "behavior_since") == NULL);
    funnel_string_free(out);

    /* A manual move into nurture reports the reset, and a lead carrying it no longer bounces back. */
    out = NULL;
    CHECK_STATUS(funnel_move_json(m, HOT_LEAD, strlen(HOT_LEAD), "nurture", NULL, "ana", T, &out), FUNNEL_OK);
    CHECK_CONTAINS(out, "\"behavior_since\":1000000000");
    funnel_string_free(out);
    {
        static const char recycled[] =
            "{\"id\":\"R\",\"stage\":\"nurture\",\"behavior_since\":1000000000,\"events\":["
            "{\"type\":\"page.pricing\",\"at\":999395200},{\"type\":\"page.pricing\",\"at\":999990000}]}";
        out = NULL;
        CHECK_STATUS(funnel_advance_json(m, recycled, strlen(recycled), T, &out), FUNNEL_OK);
        CHECK_CONTAINS(out, "\"stage\":\"nurture\",\"moves\":[]");
        funnel_string_free(out);
    }
}

static void check_batch_levels(funnel_model *m) {
    funnel_batch *b = NULL;
    static const char *const types[] = {"email.open", "page.pricing"};
    /* lead 0: 3 opens + 2 pricing (behaviour 15); lead 1: one open (2); lead 2: nothing (0) */
    static const uint32_t lead[] = {0, 0, 0, 0, 0, 1};
    static const int32_t type[] = {0, 0, 0, 1, 1, 0};
    static const double at[] = {999990000, 999990000, 999990000, 999395200, 999990000, 999990000};
    static const char *const industries[] = {"software"};
    static const int32_t industry_ids[] = {0, -1, 0};
    double fit[3], behavior[3], total[3];
    int32_t grade[3], engagement[3];

    CHECK(funnel_model_engagement_count(m) == 2);
    CHECK_STR(funnel_model_engagement_name(m, 1), "2");
    CHECK(funnel_model_engagement_name(m, 2) == NULL);
    CHECK(funnel_model_engagement_count(NULL) == 0);

    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    if (!b) return;
    CHECK_STATUS(funnel_batch_set_strings(b, "industry", industries, 1, industry_ids, 3), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_set_events(b, types, 2, lead, type, at, 6, NULL, NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_levels(b, T, fit, behavior, total, grade, engagement, 3, 2), FUNNEL_OK);
    CHECK_NEAR(behavior[0], 15);
    CHECK_NEAR(total[0], 40);
    CHECK(grade[0] == 0 && engagement[0] == 0);
    CHECK_NEAR(behavior[1], 2);
    CHECK(grade[1] == -1 && engagement[1] == 1);
    CHECK_NEAR(total[2], 30);
    CHECK(grade[2] == 0 && engagement[2] == -1);
    /* only the engagement column */
    engagement[0] = 7;
    CHECK_STATUS(funnel_batch_score_levels(b, T, NULL, NULL, NULL, NULL, engagement, 3, 0), FUNNEL_OK);
    CHECK(engagement[0] == 0 && engagement[1] == 1 && engagement[2] == -1);
    CHECK_STATUS(funnel_batch_score_levels(NULL, T, NULL, NULL, NULL, NULL, engagement, 3, 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_levels(b, T, NULL, NULL, NULL, NULL, engagement, 2, 0), FUNNEL_E_ARGUMENT);
    funnel_batch_free(b);
}

void test_second_edition(void) {
    funnel_model *m = load_text(SECOND_MODEL);
    funnel_model *def = NULL;
    /* The default model's levels make priorities A1 … F3. */
    CHECK_STATUS(funnel_model_load_default(&def), FUNNEL_OK);
    CHECK(funnel_model_engagement_count(def) == 3);
    CHECK_STR(funnel_model_engagement_name(def, 0), "1");
    CHECK_STR(funnel_model_engagement_name(def, 2), "3");
    funnel_model_free(def);
    if (!m) return;
    check_score_json(m);
    check_reset(m);
    check_batch_levels(m);
    funnel_model_free(m);
}
