/*
 * test_jsonl.c — many leads as JSON Lines: funnel_score_jsonl and
 * funnel_advance_jsonl, with their failure paths.
 */
#include "test_support.h"

void test_jsonl(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char text[4096];
    char buf[64];
    const char *line2, *line3;
    size_t len;
    if (!m) return;

    len = (size_t)snprintf(text, sizeof text, "%s\n\n%s\r\n%s", LEAD_A, LEAD_B, LEAD_C); /* blank line, CRLF, no final newline */
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_OK);
    CHECK(count_char(out, '\n') == 3);
    CHECK(out && out[0] && out[strlen(out) - 1] == '\n');
    CHECK(out && strncmp(out, "{\"id\":\"A\"", 9) == 0);
    CHECK_NEAR(json_number(out, "total"), 33);
    line2 = out ? strchr(out, '\n') + 1 : NULL;
    CHECK(line2 && strncmp(line2, "{\"id\":\"B\"", 9) == 0);
    CHECK_NEAR(json_number(line2, "total"), 2.75);
    line3 = line2 ? strchr(line2, '\n') + 1 : NULL;
    CHECK(line3 && strncmp(line3, "{\"id\":\"C\"", 9) == 0);
    {
        /* each line equals funnel_score_json of the lead */
        char *one = NULL;
        CHECK_STATUS(funnel_score_json(m, LEAD_B, strlen(LEAD_B), T, &one), FUNNEL_OK);
        CHECK(one && line2 && strncmp(line2, one, strlen(one)) == 0 && line2[strlen(one)] == '\n');
        funnel_string_free(one);
    }
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_OK);
    CHECK(count_char(out, '\n') == 3);
    CHECK(out && strncmp(out, "{\"id\":\"A\",\"stage\":\"hot\"", 23) == 0);
    line2 = out ? strchr(out, '\n') + 1 : NULL;
    CHECK_STR(json_string(line2, "stage", buf, sizeof buf), "out");
    funnel_string_free(out);

    /* empty input: no lines */
    out = NULL;
    CHECK_STATUS(funnel_score_jsonl(m, "\n\n", 2, T, &out), FUNNEL_OK);
    CHECK_STR(out, "");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_advance_jsonl(m, "", 0, T, &out), FUNNEL_OK);
    CHECK_STR(out, "");
    funnel_string_free(out);

    /* a bad line fails the whole call, naming the line */
    len = (size_t)snprintf(text, sizeof text, "%s\n{\"id\":\"bad\",\"attributes\":{\"employees\":\"x\"}}\n%s\n", LEAD_A, LEAD_C);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_CONTAINS(funnel_last_error(), "employees");
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    len = (size_t)snprintf(text, sizeof text, "%s\n%s\n{\"id\":\n", LEAD_A, LEAD_C);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 3");
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char utf[] = "{\"id\":\"ok\"}\n{\"id\":\"\xfe\"}\n";
        static const char nul[] = "{\"id\":\"ok\"}\n{\"id\":\"a\0\"}\n";
        static const char stage[] = "{\"id\":\"ok\"}\n{\"id\":\"s\",\"stage\":\"bogus\"}\n";
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl(m, utf, sizeof utf - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl(m, nul, sizeof nul - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_advance_jsonl(m, stage, sizeof stage - 1, T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    {
        size_t dl;
        char *deep = deep_text(100000, &dl);
        out = garbage;
        CHECK_STATUS2(funnel_score_jsonl(m, deep, dl, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS2(funnel_advance_jsonl(m, deep, dl, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }

    /* arguments */
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    funnel_model_free(m);
}
