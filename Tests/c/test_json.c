/*
 * test_json.c — one lead as JSON: funnel_score_json, funnel_advance_json and
 * funnel_move_json, with their failure paths.
 */
#include "test_support.h"

void test_score_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char buf[64];
    if (!m) return;

    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK(out != NULL);
    CHECK_CONTAINS(out, "\"id\":\"A\"");
    CHECK_NEAR(json_number(out, "fit"), 18);
    CHECK_NEAR(json_number(out, "behavior"), 15);
    CHECK_NEAR(json_number(out, "total"), 33);
    CHECK_STR(json_string(out, "grade", buf, sizeof buf), "A");
    CHECK_CONTAINS(out, "\"icp\":true");
    CHECK_CONTAINS(out, "\"decider\":false");
    CHECK_CONTAINS(out, "\"disqualified_by\":[]");
    CHECK_CONTAINS(out, "{\"rule\":\"visit\",\"points\":12}");
    CHECK_CONTAINS(out, "{\"rule\":\"call\",\"points\":3}");
    CHECK_CONTAINS(out, "{\"rule\":\"vip\",\"points\":3}");
    CHECK(out && strstr(out, "\"rule\":\"dm\"") == NULL);
    CHECK(out && strstr(out, "\"rule\":\"unsub\"") == NULL);
    funnel_string_free(out);

    /* one half-life later every event is worth half as much */
    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T + 10 * DAY, &out), FUNNEL_OK);
    /* visits: 8/4 + 8/2 + 8/2 (the one at T+10s, now 10 days minus 10 s old) */
    CHECK_NEAR(json_number(out, "behavior"), HALF_LIFE_LATER_A);
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_B, strlen(LEAD_B), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "fit"), 4);
    CHECK_NEAR(json_number(out, "behavior"), -1.25);
    CHECK_NEAR(json_number(out, "total"), 2.75);
    CHECK_CONTAINS(out, "\"grade\":null");
    CHECK_CONTAINS(out, "\"disqualified_by\":[\"competitor\"]");
    CHECK_CONTAINS(out, "\"decider\":true");
    CHECK_CONTAINS(out, "\"icp\":false");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "fit"), 0);
    CHECK_NEAR(json_number(out, "total"), 0);
    CHECK_CONTAINS(out, "\"grade\":null");
    CHECK_CONTAINS(out, "\"contributions\":[]");
    funnel_string_free(out);

    /* the length bounds the text: a longer buffer is read only up to len */
    {
        char padded[64];
        snprintf(padded, sizeof padded, "%sGARBAGE", LEAD_C);
        out = NULL;
        CHECK_STATUS(funnel_score_json(m, padded, strlen(LEAD_C), T, &out), FUNNEL_OK);
        CHECK_CONTAINS(out, "\"id\":\"C\"");
        funnel_string_free(out);
    }

    /* failures: out is left NULL */
    out = garbage;
    CHECK_STATUS(funnel_score_json(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), -INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, "{\"id\":", 6, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, "{\"id\":\"\xff\"}", 10, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char nul[] = "{\"id\":\"a\0b\"}";
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, nul, sizeof nul - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
    }
    {
        size_t len;
        char *deep = deep_text(100000, &len);
        out = garbage;
        CHECK_STATUS2(funnel_score_json(m, deep, len, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }
    {
        static const char huge[] = "{\"id\":\"h\",\"attributes\":{\"employees\":1e999}}";
        out = garbage;
        CHECK_STATUS2(funnel_score_json(m, huge, strlen(huge), T, &out), FUNNEL_E_PARSE, FUNNEL_E_INVALID);
        CHECK(out == NULL);
    }
    {
        static const char no_id[] = "{\"attributes\":{}}";
        static const char empty_id[] = "{\"id\":\"\"}";
        static const char mistyped[] = "{\"id\":\"x\",\"attributes\":{\"employees\":\"many\"}}";
        static const char bad_at[] = "{\"id\":\"x\",\"events\":[{\"type\":\"page.visit\",\"at\":\"yesterday\"}]}";
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, no_id, strlen(no_id), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "id");
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, empty_id, strlen(empty_id), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, mistyped, strlen(mistyped), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "employees");
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, bad_at, strlen(bad_at), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "at");
    }
    /* still working */
    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "total"), 33);
    funnel_string_free(out);
    funnel_model_free(m);
}

/* One model handle shared by threads, each scoring the three leads in turn:
 * every result is the one a single thread gets (the handle's one-lead
 * scratch is lent to one call at a time). */
#define SCORE_THREADS 4
#define SCORE_ROUNDS 300
static funnel_model *shared_model;
static char *expected_json[3];
static const char *const thread_leads[3] = {LEAD_A, LEAD_B, LEAD_C};

static void *score_json_hammer(void *arg) {
    int *mismatches = arg;
    for (int r = 0; r < SCORE_ROUNDS; r++) {
        int k = r % 3;
        char *out = NULL;
        if (funnel_score_json(shared_model, thread_leads[k], strlen(thread_leads[k]), T, &out) != FUNNEL_OK ||
            !out || strcmp(out, expected_json[k]) != 0)
            (*mismatches)++;
        funnel_string_free(out);
    }
    return NULL;
}

void test_score_json_threads(void) {
    pthread_t threads[SCORE_THREADS];
    int mismatches[SCORE_THREADS] = {0};
    shared_model = load_text(TINY_MODEL);
    if (!shared_model) return;
    for (int k = 0; k < 3; k++) {
        expected_json[k] = NULL;
        CHECK_STATUS(funnel_score_json(shared_model, thread_leads[k], strlen(thread_leads[k]), T, &expected_json[k]),
                     FUNNEL_OK);
    }
    if (expected_json[0] && expected_json[1] && expected_json[2]) {
        for (int k = 0; k < SCORE_THREADS; k++)
            CHECK(pthread_create(&threads[k], NULL, score_json_hammer, &mismatches[k]) == 0);
        for (int k = 0; k < SCORE_THREADS; k++) {
            pthread_join(threads[k], NULL);
            CHECK(mismatches[k] == 0);
        }
    }
    for (int k = 0; k < 3; k++) funnel_string_free(expected_json[k]);
    funnel_model_free(shared_model);
}

void test_advance_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_model *bare = load_text(BARE_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char buf[64];
    if (!m || !bare) return;

    CHECK_STATUS(funnel_advance_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"A\",\"stage\":\"hot\",\"moves\":["
                   "{\"from\":\"new\",\"to\":\"qualified\",\"reason\":null,\"by\":\"auto\"},"
                   "{\"from\":\"qualified\",\"to\":\"hot\",\"reason\":null,\"by\":\"auto\"}]}");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_json(m, LEAD_B, strlen(LEAD_B), T, &out), FUNNEL_OK);
    CHECK_STR(json_string(out, "stage", buf, sizeof buf), "out");
    CHECK_CONTAINS(out, "{\"from\":\"new\",\"to\":\"out\",\"reason\":\"competitor\",\"by\":\"auto\"}");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"C\",\"stage\":\"new\",\"moves\":[]}");
    funnel_string_free(out);

    {
        static const char staged[] = "{\"id\":\"S\",\"stage\":\"deal\"}";
        static const char unknown[] = "{\"id\":\"U\",\"stage\":\"bogus\"}";
        out = NULL;
        CHECK_STATUS(funnel_advance_json(m, staged, strlen(staged), T, &out), FUNNEL_OK);
        CHECK_STR(out, "{\"id\":\"S\",\"stage\":\"deal\",\"moves\":[]}");
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_advance_json(m, unknown, strlen(unknown), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    out = garbage;
    CHECK_STATUS(funnel_advance_json(bare, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);

    out = garbage;
    CHECK_STATUS(funnel_advance_json(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, NULL, 3, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, "{\"id\":\"\xc3\"}", 10, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, "nope", 4, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        size_t len;
        char *deep = deep_text(100000, &len);
        out = garbage;
        CHECK_STATUS2(funnel_advance_json(m, deep, len, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }
    funnel_model_free(m);
    funnel_model_free(bare);
}

void test_move_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_model *bare = load_text(BARE_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    static const char hot_no_dm[] =
        "{\"id\":\"H\",\"stage\":\"hot\",\"attributes\":{\"industry\":\"software\",\"employees\":120,\"dm\":false}}";
    static const char hot_dm[] =
        "{\"id\":\"H\",\"stage\":\"hot\",\"attributes\":{\"industry\":\"software\",\"employees\":120,\"dm\":true}}";
    static const char fresh[] = "{\"id\":\"N\"}";
    static const char won[] = "{\"id\":\"W\",\"stage\":\"out\"}";
    if (!m || !bare) return;

    /* allowed */
    CHECK_STATUS(funnel_move_json(m, hot_dm, strlen(hot_dm), "deal", NULL, "maria", T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"H\",\"stage\":\"deal\",\"moves\":[{\"from\":\"hot\",\"to\":\"deal\",\"reason\":null,\"by\":\"maria\"}]}");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"N\",\"stage\":\"qualified\",\"moves\":[{\"from\":\"new\",\"to\":\"qualified\",\"reason\":null,\"by\":\"api\"}]}");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "bad_data", "ops", T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"N\",\"stage\":\"out\",\"moves\":[{\"from\":\"new\",\"to\":\"out\",\"reason\":\"bad_data\",\"by\":\"ops\"}]}");
    funnel_string_free(out);

    /* refused: requires unmet (lists the unmet part only) */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, hot_no_dm, strlen(hot_no_dm), "deal", NULL, "maria", T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK(strstr(funnel_last_error(), "decider") != NULL || strstr(funnel_last_error(), "dm") != NULL);
    CHECK(strstr(funnel_last_error(), "employees") == NULL);
    /* refused: unknown stage */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "nowhere", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "nowhere");
    /* refused: no transition */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "hot", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "hot");
    /* refused: an outcome stage has no way out */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, won, strlen(won), "new", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    /* refused: reason missing, reason not in the list */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "reason");
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "price", NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "price");

    /* arguments */
    out = garbage;
    CHECK_STATUS(funnel_move_json(NULL, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, NULL, 4, "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), NULL, NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, SIZE_MAX, "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, -INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    /* invalid UTF-8 in the NUL-terminated names: FUNNEL_E_PARSE (SPEC §8), naming the argument */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified\xff", NULL, NULL, T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "funnel_move_json: to is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "bad_data\xff", NULL, T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "reason is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, "\xc0\xaf", T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "by is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", "\xed\xa0\x80", NULL, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    /* bad documents */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, "{\"id\"", 5, "qualified", NULL, NULL, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char unknown[] = "{\"id\":\"U\",\"stage\":\"bogus\"}";
        out = garbage;
        CHECK_STATUS(funnel_move_json(m, unknown, strlen(unknown), "qualified", NULL, NULL, T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    out = garbage;
    CHECK(funnel_move_json(bare, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out) != FUNNEL_OK);
    CHECK(out == NULL);
    funnel_model_free(m);
    funnel_model_free(bare);
}
