/* funnel_batch_new_jsonl and funnel_doubles_from_pickle: the functions a host
 * whose leads are Python objects (bindings/python) uses to reach the batch. */
#include "test_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A batch read from JSON Lines scores lead i as funnel_score_jsonl scores line i. */
static void batch_new_jsonl(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char text[1024];
    char *lines = NULL;
    funnel_batch *b = NULL;
    double fit[3], behavior[3], total[3];
    int32_t grade[3];
    funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
    const char *at;
    size_t i;
    if (!m) return;
    snprintf(text, sizeof text, "%s\n\n%s\n%s\n", LEAD_A, LEAD_B, LEAD_C);
    options.threads = 1;
    CHECK_STATUS(funnel_batch_new_jsonl(m, text, strlen(text), &options, &b), FUNNEL_OK);
    CHECK_STATUS(funnel_score_jsonl(m, text, strlen(text), T, &lines), FUNNEL_OK);
    if (b && lines) {
        CHECK(funnel_batch_lead_count(b) == 3);
        CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
        at = lines;
        for (i = 0; i < 3; i++) {
            char name[16];
            CHECK(fit[i] == json_number(at, "fit"));
            CHECK(behavior[i] == json_number(at, "behavior"));
            CHECK(total[i] == json_number(at, "total"));
            json_string(at, "grade", name, sizeof name);
            CHECK(grade[i] < 0 ? name[0] == '\0' : str_eq(funnel_model_grade_name(m, (size_t)grade[i]), name));
            at = strchr(at, '\n') + 1;
        }
    }
    funnel_batch_free(b);
    funnel_string_free(lines);

    /* failures: out cleared, nothing to free */
    static const char BAD_JSON[] = "{\"id\":\"A\"}\n{\"id\":\n";
    static const char BAD_LEAD[] = "{\"id\":\"A\"}\n{\"id\":7}\n";
    b = (funnel_batch *)1;
    CHECK_STATUS(funnel_batch_new_jsonl(m, BAD_JSON, strlen(BAD_JSON), NULL, &b), FUNNEL_E_PARSE);
    CHECK(b == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_STATUS(funnel_batch_new_jsonl(m, BAD_LEAD, strlen(BAD_LEAD), NULL, &b), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_STATUS(funnel_batch_new_jsonl(NULL, "", 0, NULL, &b), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, NULL, 0, NULL, &b), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", 0, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", SIZE_MAX, NULL, &b), FUNNEL_E_ARGUMENT);
    options.version = 99;
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", 0, &options, &b), FUNNEL_E_ARGUMENT);
    /* no lines: an empty batch */
    CHECK_STATUS(funnel_batch_new_jsonl(m, "\n\n", 2, NULL, &b), FUNNEL_OK);
    CHECK(b != NULL && funnel_batch_lead_count(b) == 0);
    funnel_batch_free(b);
    funnel_model_free(m);
}

/* pickle.dumps([1.5, None, 3, True, -5, 300, 70000, 2**40], 2) */
static const char PICKLED[] =
    "\x80\x02]q\x00(G?\xf8\x00\x00\x00\x00\x00\x00NK\x03\x88J\xfb\xff\xff\xffM,\x01J\x70\x11\x01\x00"
    "\x8a\x06\x00\x00\x00\x00\x00\x01" "e.";

static void doubles_from_pickle(void) {
    double out[9];
    unsigned kinds = 99;
    size_t len = sizeof PICKLED - 1, cut;
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 8, &kinds), FUNNEL_OK);
    CHECK(out[0] == 1.5 && isnan(out[1]) && out[2] == 3 && out[3] == 1 && out[4] == -5 && out[5] == 300 &&
          out[6] == 70000 && out[7] == 1099511627776.0);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_INT | FUNNEL_PICKLED_BOOL | FUNNEL_PICKLED_NONE));
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 8, NULL), FUNNEL_OK);
    /* pickle.dumps([float("inf"), 2], 2) */
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00(G\x7f\xf0\x00\x00\x00\x00\x00\x00K\x02" "e.", 19, out,
                                            2, &kinds),
                 FUNNEL_OK);
    CHECK(isinf(out[0]) && out[1] == 2);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_NONFINITE | FUNNEL_PICKLED_INT));
    /* an empty list; one item (APPEND) */
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00.", 6, NULL, 0, &kinds), FUNNEL_OK);
    CHECK(kinds == 0);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00Na.", 8, out, 1, &kinds), FUNNEL_OK);
    CHECK(isnan(out[0]) && kinds == FUNNEL_PICKLED_NONE);
    /* refused: another count, every truncation, another item, NULLs */
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 7, &kinds), FUNNEL_E_ARGUMENT);
    CHECK(kinds == 0);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 9, NULL), FUNNEL_E_ARGUMENT);
    for (cut = 0; cut < len; cut++)
        CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, cut, out, 8, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00X\x01\x00\x00\x00" "aa.", 13, out, 1, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01" "a.", 18,
                                            out, 1, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(NULL, 0, out, 0, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, NULL, 8, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, SIZE_MAX, out, 8, NULL), FUNNEL_E_ARGUMENT);
}

void test_python_columns(void) {
    batch_new_jsonl();
    doubles_from_pickle();
}
