/*
 * test_batch.c — many leads as columns: every funnel_batch_* function on leads A,
 * B and C (the same leads as the JSON tests), and every failure path.
 */
#include "test_support.h"

/* Leads A, B, C (above) as columns. */
static const char *const INDUSTRIES[] = {" Software ", "retail"};
static const int32_t INDUSTRY_IDS[] = {0, 1, -1};
static const double EMPLOYEES[] = {120, 10, NAN};
static const int8_t DMS[] = {0, 1, -1};
static const char *const TAGS[] = {"vip", "competitor"};
static const int64_t TAG_OFFSETS[] = {0, 1, 2, 2};
static const int32_t TAG_MEMBERS[] = {0, 1};
static const uint8_t TAG_PRESENT[] = {1, 1, 0};
static const char *const EVENT_TYPES[] = {"page.visit", "call.completed", "email.unsubscribe"};
/* listed out of lead order on purpose */
static const uint32_t EVENT_LEAD[] = {0, 1, 0, 0, 0, 0, 0};
static const int32_t EVENT_TYPE[] = {0, 2, 0, 1, 1, 0, 0};
static const double EVENT_AT[] = {999136000, 998272000, 1000000000, 999136000, 1000000000, 991273600, 1000000010};
static const double EVENT_MINUTES[] = {NAN, NAN, NAN, 25, 5, NAN, NAN};

static funnel_status fill_abc(funnel_batch *b) {
    funnel_status s;
    if ((s = funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_numbers(b, "employees", EMPLOYEES, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_bools(b, "dm", DMS, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3)) != FUNNEL_OK)
        return s;
    return funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes", EVENT_MINUTES);
}

void test_batch_values(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    double fit[3], behavior[3], total[3];
    int32_t grade[3];
    unsigned threads[] = {0, 1, 2, 1000};
    size_t i;
    if (!m) return;

    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    CHECK(b != NULL);
    if (!b) { funnel_model_free(m); return; }
    CHECK(funnel_batch_lead_count(b) == 3);

    /* nothing set: every attribute missing, no events */
    CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
    for (i = 0; i < 3; i++) {
        CHECK(fit[i] == 0 && behavior[i] == 0 && total[i] == 0 && grade[i] == -1);
    }

    CHECK_STATUS(fill_abc(b), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
    CHECK_NEAR(fit[0], 18);
    CHECK_NEAR(behavior[0], 15);
    CHECK_NEAR(total[0], 33);
    CHECK(grade[0] == 0);
    CHECK_NEAR(fit[1], 4);
    CHECK_NEAR(behavior[1], -1.25);
    CHECK_NEAR(total[1], 2.75);
    CHECK(grade[1] == -1);
    CHECK_NEAR(fit[2], 0);
    CHECK_NEAR(behavior[2], 0);
    CHECK(grade[2] == -1);

    /* the same batch at another instant: one half-life later */
    CHECK_STATUS(funnel_batch_score(b, T + 10 * DAY, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
    CHECK_NEAR(behavior[0], HALF_LIFE_LATER_A);
    CHECK_NEAR(behavior[1], -0.625);

    /* every thread count gives the same numbers */
    for (i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        double f2[3] = {-1, -1, -1}, b2[3] = {-1, -1, -1}, t2[3] = {-1, -1, -1};
        int32_t g2[3] = {7, 7, 7};
        CHECK_STATUS(funnel_batch_score_threads(b, T, f2, b2, t2, g2, 3, threads[i]), FUNNEL_OK);
        CHECK(f2[0] == fit[0] && f2[1] == fit[1] && f2[2] == fit[2]);
        CHECK(t2[0] == total[0] && t2[1] == total[1] && t2[2] == total[2]);
        CHECK(g2[0] == 0 && g2[1] == -1 && g2[2] == -1);
    }
    /* all outputs NULL: nothing to do, still OK */
    CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, NULL, NULL, 3), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_threads(b, T, NULL, NULL, NULL, NULL, 3, 2), FUNNEL_OK);

    /* setting a column again replaces it */
    {
        static const double small[] = {10, 10, 10};
        static const int8_t yes[] = {1, 1, 1};
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", small, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", yes, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 3), FUNNEL_OK);
        CHECK_NEAR(fit[0], 10 + 4 + 3);
        CHECK_NEAR(fit[1], 4);
        CHECK_NEAR(fit[2], 4);
        CHECK(grade[0] == 0 && grade[1] == -1 && grade[2] == -1);
        /* events replaced: none */
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 0, NULL, NULL), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
        CHECK(behavior[0] == 0 && behavior[1] == 0 && behavior[2] == 0);
        /* events without the property: the long call no longer matches */
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
        CHECK_NEAR(behavior[0], 12);
        CHECK_NEAR(behavior[1], -1.25);
    }
    /* every lead has the set (present NULL); empty sets */
    {
        static const int64_t offsets[] = {0, 0, 1, 1};
        static const int32_t members[] = {0};
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, offsets, members, 1, NULL, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, NULL, 3), FUNNEL_OK);
        CHECK_NEAR(fit[0], 10 + 4);
        CHECK_NEAR(fit[1], 4 + 3);
        CHECK_NEAR(fit[2], 4);
    }
    funnel_batch_free(b);

    /* a batch outlives its model */
    {
        funnel_model *m2 = load_text(TINY_MODEL);
        funnel_batch *b2 = NULL;
        CHECK_STATUS(funnel_batch_new(m2, 3, &b2), FUNNEL_OK);
        CHECK_STATUS(fill_abc(b2), FUNNEL_OK);
        funnel_model_free(m2);
        CHECK_STATUS(funnel_batch_score(b2, T, fit, behavior, total, grade, 3), FUNNEL_OK);
        CHECK_NEAR(total[0], 33);
        CHECK_NEAR(total[1], 2.75);
        CHECK(grade[0] == 0);
        funnel_batch_free(b2);
    }

    /* an empty batch */
    {
        funnel_batch *e = NULL;
        double one = -1;
        CHECK_STATUS(funnel_batch_new(m, 0, &e), FUNNEL_OK);
        CHECK(e != NULL);
        CHECK(funnel_batch_lead_count(e) == 0);
        CHECK_STATUS(funnel_batch_score(e, T, &one, NULL, NULL, NULL, 0), FUNNEL_OK);
        CHECK(one == -1);
        funnel_batch_free(e);
    }
    funnel_model_free(m);
}

void test_batch_failures(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    funnel_batch *garbage = (funnel_batch *)&b;
    double fit[3] = {-7, -7, -7};
    int32_t grade[3] = {9, 9, 9};
    if (!m) return;

    /* funnel_batch_new */
    b = garbage;
    CHECK_STATUS(funnel_batch_new(NULL, 3, &b), FUNNEL_E_ARGUMENT);
    CHECK(b == NULL);
    CHECK_STATUS(funnel_batch_new(m, 3, NULL), FUNNEL_E_ARGUMENT);
    b = garbage;
    CHECK_STATUS2(funnel_batch_new(m, (size_t)1 << 31, &b), FUNNEL_E_ARGUMENT, FUNNEL_E_LIMIT);
    CHECK(b == NULL);
    b = garbage;
    CHECK_STATUS2(funnel_batch_new(m, SIZE_MAX, &b), FUNNEL_E_ARGUMENT, FUNNEL_E_LIMIT);
    CHECK(b == NULL);

    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    if (!b) { funnel_model_free(m); return; }
    CHECK_STATUS(fill_abc(b), FUNNEL_OK);

    /* numbers */
    {
        double inf[] = {1, INFINITY, 3};
        double ninf[] = {1, 2, -INFINITY};
        CHECK_STATUS(funnel_batch_set_numbers(NULL, "employees", EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, NULL, EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", EMPLOYEES, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", EMPLOYEES, 4), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", inf, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", ninf, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "headcount", EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_CONTAINS(funnel_last_error(), "headcount");
        CHECK_STATUS(funnel_batch_set_numbers(b, "industry", EMPLOYEES, 3), FUNNEL_E_ARGUMENT); /* a string attribute */
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees\xff", EMPLOYEES, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "funnel_batch_set_numbers: attribute is not valid UTF-8");
    }
    /* bools */
    {
        int8_t two[] = {0, 2, 1};
        int8_t minus_two[] = {-2, 0, 1};
        int8_t big[] = {0, 0, 127};
        CHECK_STATUS(funnel_batch_set_bools(NULL, "dm", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, NULL, DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", DMS, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", two, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", minus_two, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", big, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "decision_maker", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "employees", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm\xc3", DMS, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
    }
    /* strings */
    {
        int32_t too_big[] = {0, 2, -1};
        int32_t too_small[] = {0, -2, 1};
        const char *with_null[] = {"a", NULL};
        const char *bad_utf8[] = {"a", "\xff\xfe"};
        int32_t ids[] = {0, 1, 1};
        CHECK_STATUS(funnel_batch_set_strings(NULL, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, NULL, INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", NULL, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, too_big, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, too_small, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 0, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", with_null, 2, ids, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", bad_utf8, 2, ids, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "dictionary[1] is not valid UTF-8");
        CHECK_STATUS(funnel_batch_set_strings(b, "industry\xff", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
        CHECK_STATUS(funnel_batch_set_strings(b, "sector", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "tags", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
    }
    /* string sets */
    {
        int64_t not_zero[] = {1, 1, 2, 2};
        int64_t decreasing[] = {0, 2, 1, 2};
        int64_t short_end[] = {0, 1, 1, 1};
        int64_t past_end[] = {0, 1, 2, 3};
        int32_t bad_member[] = {0, 2};
        int32_t neg_member[] = {-1, 0};
        const char *with_null[] = {"vip", NULL};
        CHECK_STATUS(funnel_batch_set_string_sets(NULL, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, NULL, TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", NULL, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, NULL, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, NULL, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, not_zero, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, decreasing, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, short_end, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, past_end, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, bad_member, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, neg_member, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", with_null, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "labels", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "industry", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        {
            const char *bad_utf8[] = {"vip", "\xe2\x82"};
            CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", bad_utf8, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "dictionary[1] is not valid UTF-8");
            CHECK_STATUS(funnel_batch_set_string_sets(b, "tags\xff", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
        }
    }
    /* events */
    {
        uint32_t lead_out[] = {0, 1, 0, 0, 0, 0, 3};
        int32_t type_out[] = {0, 2, 0, 1, 1, 0, 3};
        int32_t type_neg[] = {0, 2, 0, 1, 1, 0, -1};
        double at_nan[] = {999136000, 998272000, 1000000000, 999136000, 1000000000, 991273600, NAN};
        double at_inf[] = {999136000, 998272000, INFINITY, 999136000, 1000000000, 991273600, 1000000010};
        const char *types_null[] = {"page.visit", NULL, "email.unsubscribe"};
        CHECK_STATUS(funnel_batch_set_events(NULL, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, NULL, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, NULL, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, NULL, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, NULL, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes", NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, lead_out, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, type_out, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, type_neg, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 2, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, at_nan, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, at_inf, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, types_null, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        {
            const char *types_bad[] = {"page.visit", "call.completed", "email.\xff"};
            CHECK_STATUS(funnel_batch_set_events(b, types_bad, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "event_types[2] is not valid UTF-8");
            CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "min\xfftes", EVENT_MINUTES), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "property is not valid UTF-8");
        }
    }
    /* score: caller's arrays untouched on failure */
    CHECK_STATUS(funnel_batch_score(NULL, T, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 2), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 4), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, NAN, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, INFINITY, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, -INFINITY, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(NULL, T, fit, NULL, NULL, grade, 3, 1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(b, T, fit, NULL, NULL, grade, 0, 1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(b, NAN, fit, NULL, NULL, grade, 3, 2), FUNNEL_E_ARGUMENT);
    CHECK(fit[0] == -7 && fit[1] == -7 && fit[2] == -7);
    CHECK(grade[0] == 9 && grade[1] == 9 && grade[2] == 9);

    /* after all those failures the batch still holds A, B, C */
    {
        double total[3];
        CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, total, grade, 3), FUNNEL_OK);
        CHECK_NEAR(total[0], 33);
        CHECK_NEAR(total[1], 2.75);
        CHECK_NEAR(total[2], 0);
        CHECK(grade[0] == 0 && grade[1] == -1 && grade[2] == -1);
    }
    funnel_batch_free(b);
    funnel_model_free(m);
}
/* Refilling the string columns a thousand times, with new strings each time,
 * scores as the first fill did (the batch drops the strings it no longer uses). */
void test_batch_refill(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    double total[3], again[3];
    char retail[32], tag[32];
    const char *industries[2];
    const char *tags[2];
    int k, same = 1;
    if (!m) return;
    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    if (!b) { funnel_model_free(m); return; }
    CHECK_STATUS(fill_abc(b), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, total, NULL, 3), FUNNEL_OK);
    industries[0] = INDUSTRIES[0];
    industries[1] = retail;
    tags[0] = TAGS[0];
    tags[1] = tag;
    for (k = 0; k < 1000 && same; k++) {
        snprintf(retail, sizeof retail, "retail %d", k);
        snprintf(tag, sizeof tag, "tag %d", k);
        same = funnel_batch_set_strings(b, "industry", industries, 2, INDUSTRY_IDS, 3) == FUNNEL_OK &&
               funnel_batch_set_string_sets(b, "tags", tags, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3) == FUNNEL_OK &&
               funnel_batch_score(b, T, NULL, NULL, again, NULL, 3) == FUNNEL_OK &&
               memcmp(total, again, sizeof total) == 0;
    }
    CHECK(same);
    CHECK(k == 1000);
    funnel_batch_free(b);
    funnel_model_free(m);
}


/* Two batches of fill_abc's three leads, for tests that set the same thing
 * two ways; on failure frees what it made and the model, and returns 0. */
static int two_abc_batches(funnel_model *m, funnel_batch **a, funnel_batch **b) {
    *a = *b = NULL;
    if (!m) return 0;
    CHECK_STATUS(funnel_batch_new(m, 3, a), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_new(m, 3, b), FUNNEL_OK);
    if (!*a || !*b) {
        funnel_batch_free(*a);
        funnel_batch_free(*b);
        funnel_model_free(m);
        return 0;
    }
    CHECK_STATUS(fill_abc(*a), FUNNEL_OK);
    CHECK_STATUS(fill_abc(*b), FUNNEL_OK);
    return 1;
}

/* The text setters (funnel_batch_set_strings_text, funnel_batch_set_events_text)
 * give the same scores, to the bit, as the dictionary setters. */
void test_batch_text(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *a = NULL, *b = NULL;
    double fa[3], ba[3], ta[3], fb[3], bb[3], tb[3];
    int32_t ga[3], gb[3];
    static const char INDUSTRY_TEXT[] = " Software \0retail\0"; /* lead 2 missing */
    static const uint8_t PRESENT[] = {1, 1, 0};
    static const char TYPE_TEXT[] =
        "page.visit\0email.unsubscribe\0page.visit\0call.completed\0call.completed\0page.visit\0page.visit\0";
    size_t i;
    if (!two_abc_batches(m, &a, &b)) return;
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", INDUSTRY_TEXT, sizeof INDUSTRY_TEXT - 1, PRESENT, 3),
                 FUNNEL_OK);
    CHECK_STATUS(funnel_batch_set_events_text(b, TYPE_TEXT, sizeof TYPE_TEXT - 1, EVENT_LEAD, EVENT_AT, 7, "minutes",
                                              EVENT_MINUTES),
                 FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(a, T, fa, ba, ta, ga, 3), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, fb, bb, tb, gb, 3), FUNNEL_OK);
    for (i = 0; i < 3; i++) CHECK(fa[i] == fb[i] && ba[i] == bb[i] && ta[i] == tb[i] && ga[i] == gb[i]);

    /* every lead present (present NULL); an empty value is a value */
    {
        static const char ALL[] = "retail\0retail\0\0";
        static const char *const WORDS[] = {"retail", ""};
        static const int32_t IDS[] = {0, 0, 1};
        CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", ALL, sizeof ALL - 1, NULL, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_set_strings(a, "industry", WORDS, 2, IDS, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(a, T, fa, ba, ta, ga, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, fb, bb, tb, gb, 3), FUNNEL_OK);
        for (i = 0; i < 3; i++) CHECK(fa[i] == fb[i] && ba[i] == bb[i] && ta[i] == tb[i] && ga[i] == gb[i]);
    }
    /* no leads present, no text */
    {
        static const uint8_t NONE[] = {0, 0, 0};
        CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", NULL, 0, NONE, 3), FUNNEL_OK);
    }
    /* no events */
    CHECK_STATUS(funnel_batch_set_events_text(b, NULL, 0, NULL, NULL, 0, NULL, NULL), FUNNEL_OK);

    /* refused: nothing changes */
    CHECK_STATUS(funnel_batch_set_strings_text(NULL, "industry", "a\0b\0c", 6, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, NULL, "a\0b\0c", 6, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", NULL, 6, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0c", 5, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0c\0d\0", 8, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0", 4, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0c\0", 6, NULL, 2), FUNNEL_E_ARGUMENT);
    /* a count beyond the batch is refused before `present` (3 bytes) is read */
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0", 4, PRESENT, 4), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0b\0", 4, PRESENT, SIZE_MAX / 2), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "industry", "a\0\xff\0c\0", 6, NULL, 3), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "tags", "a\0b\0c\0", 6, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_strings_text(b, "sector", "a\0b\0c\0", 6, NULL, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(NULL, TYPE_TEXT, sizeof TYPE_TEXT - 1, EVENT_LEAD, EVENT_AT, 7, NULL,
                                              NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, TYPE_TEXT, sizeof TYPE_TEXT - 1, EVENT_LEAD, EVENT_AT, 6, NULL, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, TYPE_TEXT, sizeof TYPE_TEXT - 2, EVENT_LEAD, EVENT_AT, 7, NULL, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, NULL, 5, EVENT_LEAD, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, TYPE_TEXT, sizeof TYPE_TEXT - 1, NULL, EVENT_AT, 7, NULL, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, TYPE_TEXT, sizeof TYPE_TEXT - 1, EVENT_LEAD, EVENT_AT, 7, "minutes",
                                              NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_set_events_text(b, "a\0\xfe\0", 4, EVENT_LEAD, EVENT_AT, 2, NULL, NULL), FUNNEL_E_PARSE);
    {
        static const uint32_t FAR[] = {0, 7};
        CHECK_STATUS(funnel_batch_set_events_text(b, "a\0b\0", 4, FAR, EVENT_AT, 2, NULL, NULL), FUNNEL_E_ARGUMENT);
    }
    /* the batch still scores as it was last set (industry missing, no events) */
    CHECK_STATUS(funnel_batch_score(b, T, fb, bb, tb, gb, 3), FUNNEL_OK);
    for (i = 0; i < 3; i++) CHECK(bb[i] == 0);

    funnel_batch_free(a);
    funnel_batch_free(b);
    funnel_model_free(m);
}

/* funnel_batch_score_events: the scores of funnel_batch_set_events then
 * funnel_batch_score_levels, to the bit, events in lead order or not; the batch
 * keeps its own events; every refusal is a status. */
void test_batch_score_events(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *a = NULL, *b = NULL;
    double fa[3], ba[3], ta[3], fb[3], bb[3], tb[3];
    int32_t ga[3], gb[3], ea[3], eb[3];
    /* The same events grouped by lead (the order within each lead kept). */
    static const uint32_t LEAD_SORTED[] = {0, 0, 0, 0, 0, 0, 1};
    static const int32_t TYPE_SORTED[] = {0, 0, 1, 1, 0, 0, 2};
    static const double AT_SORTED[] = {999136000, 1000000000, 999136000, 1000000000, 991273600, 1000000010, 998272000};
    static const double MINUTES_SORTED[] = {NAN, NAN, 25, 5, NAN, NAN, NAN};
    static const char *const BAD_TYPES[] = {"page.visit", NULL, "email.unsubscribe"};
    static const char *const BAD_UTF8[] = {"page.visit", "\xff", "email.unsubscribe"};
    static const uint32_t FAR[] = {0, 1, 0, 0, 0, 0, 3};
    static const double NOT_FINITE[] = {999136000, 998272000, 1000000000, INFINITY, 1000000000, 991273600, 0};
    unsigned threads;
    size_t i;
    if (!two_abc_batches(m, &a, &b)) return;
    CHECK_STATUS(funnel_batch_score_levels(a, T, fa, ba, ta, ga, ea, 3, 1), FUNNEL_OK);
    CHECK(ba[0] != 0);
    /* b: events of its own that the one shot leaves alone */
    CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 2, NULL, NULL), FUNNEL_OK);
    for (threads = 0; threads < 3; threads++) {
        CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes",
                                               EVENT_MINUTES, T, fb, bb, tb, gb, eb, 3, threads),
                     FUNNEL_OK);
        for (i = 0; i < 3; i++)
            CHECK(fa[i] == fb[i] && ba[i] == bb[i] && ta[i] == tb[i] && ga[i] == gb[i] && ea[i] == eb[i]);
    }
    CHECK_STATUS(funnel_batch_set_events(a, EVENT_TYPES, 3, LEAD_SORTED, TYPE_SORTED, AT_SORTED, 7, "minutes",
                                         MINUTES_SORTED),
                 FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_levels(a, T, fa, ba, ta, ga, ea, 3, 1), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, LEAD_SORTED, TYPE_SORTED, AT_SORTED, 7, "minutes",
                                           MINUTES_SORTED, T, fb, bb, tb, gb, NULL, 3, 2),
                 FUNNEL_OK);
    for (i = 0; i < 3; i++) CHECK(fa[i] == fb[i] && ba[i] == bb[i] && ta[i] == tb[i] && ga[i] == gb[i]);
    /* outputs may be NULL; no events at all */
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, NULL, NULL, NULL, 0, NULL, NULL, T, NULL, NULL, NULL,
                                           NULL, NULL, 3, 1),
                 FUNNEL_OK);

    /* refused */
    CHECK_STATUS(funnel_batch_score_events(NULL, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T,
                                           fb, bb, tb, gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T, fb,
                                           bb, tb, gb, NULL, 2, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, NAN, fb,
                                           bb, tb, gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, NULL, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T, fb, bb, tb,
                                           gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes", NULL, T,
                                           fb, bb, tb, gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, BAD_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T, fb, bb,
                                           tb, gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_events(b, BAD_UTF8, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T, fb, bb,
                                           tb, gb, NULL, 3, 1),
                 FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, FAR, EVENT_TYPE, EVENT_AT, 7, NULL, NULL, T, fb, bb, tb,
                                           gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK(strstr(funnel_last_error(), "event_lead[6]") != NULL);
    CHECK_STATUS(funnel_batch_score_events(b, EVENT_TYPES, 3, LEAD_SORTED, TYPE_SORTED, NOT_FINITE, 7, NULL, NULL, T,
                                           fb, bb, tb, gb, NULL, 3, 1),
                 FUNNEL_E_ARGUMENT);
    CHECK(strstr(funnel_last_error(), "event_at[3]") != NULL);
    /* b still scores its own two events */
    CHECK_STATUS(funnel_batch_set_events(a, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 2, NULL, NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(a, T, fa, ba, ta, ga, 3), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, fb, bb, tb, gb, 3), FUNNEL_OK);
    for (i = 0; i < 3; i++) CHECK(fa[i] == fb[i] && ba[i] == bb[i] && ta[i] == tb[i] && ga[i] == gb[i]);

    funnel_batch_free(a);
    funnel_batch_free(b);
    funnel_model_free(m);
}
