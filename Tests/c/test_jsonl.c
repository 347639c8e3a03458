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
    {
        /* funnel_score_jsonl_pickle: a protocol 4 pickle of a list, or the errors of
         * funnel_score_jsonl_opts; never a half-written pickle. */
        size_t n = 7;
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = 1;
        len = (size_t)snprintf(text, sizeof text, "%s\n%s\n", LEAD_A, LEAD_B);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle(m, text, len, T, &options, &out, &n), FUNNEL_OK);
        CHECK(out && n > 8 && (unsigned char)out[0] == 0x80 && out[1] == 4 && out[2] == ']' && out[n - 1] == '.');
        CHECK(out && memchr(out, 'A', n) != NULL && memchr(out, 'B', n) != NULL);
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle(m, "", 0, T, NULL, &out, &n), FUNNEL_OK);
        CHECK(out && n == 6 && memcmp(out, "\x80\x04](e.", 6) == 0);
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle(m, "{\"id\":1}\n", 9, T, &options, &out, &n), FUNNEL_E_INVALID);
        CHECK(out == NULL && n == 0);
        CHECK_CONTAINS(funnel_last_error(), "funnel_score_jsonl_pickle: ");
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle(m, text, len, NAN, &options, &out, &n), FUNNEL_E_ARGUMENT);
        CHECK(out == NULL);
        CHECK_STATUS(funnel_score_jsonl_pickle(m, text, len, T, &options, &out, NULL), FUNNEL_E_ARGUMENT);
        CHECK(out == NULL);
        CHECK_STATUS(funnel_score_jsonl_pickle(m, text, len, T, &options, NULL, &n), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_pickle(NULL, text, len, T, &options, &out, &n), FUNNEL_E_ARGUMENT);
        /* funnel_score_jsonl_pickle_class: the same, each result made as the class named. */
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "funnel.results", "ScoreResult",
                                                     &out, &n), FUNNEL_OK);
        CHECK(out && n > 8 && (unsigned char)out[0] == 0x80 && out[1] == 4 && out[2] == ']' && out[n - 1] == '.');
        CHECK(out && memchr(out, 0x81, n) != NULL && memchr(out, 0x93, n) != NULL);
        {
            /* The class once, by STACK_GLOBAL (memoised, then BINGET for the other result). */
            static const char global[] = "\x8c\x0e" "funnel.results\x8c\x0bScoreResult\x93";
            size_t found = 0;
            for (size_t k = 0; out && k + sizeof global - 1 <= n; k++) {
                if (memcmp(out + k, global, sizeof global - 1) == 0) found++;
            }
            CHECK(found == 1);
        }
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, "", 0, T, NULL, "m", "C", &out, &n), FUNNEL_OK);
        CHECK(out && n == 6 && memcmp(out, "\x80\x04](e.", 6) == 0);
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, "{\"id\":1}\n", 9, T, &options, "m", "C", &out, &n),
                     FUNNEL_E_INVALID);
        CHECK(out == NULL && n == 0);
        CHECK_CONTAINS(funnel_last_error(), "funnel_score_jsonl_pickle_class: ");
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, NULL, "C", &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK(out == NULL && n == 0);
        CHECK_CONTAINS(funnel_last_error(), "module is NULL");
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "m", NULL, &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK(out == NULL);
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "m", "", &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "os\nsystem", "C", &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "m", "a b", &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK(out == NULL);
        {
            char longname[300];
            memset(longname, 'a', sizeof longname - 1);
            longname[sizeof longname - 1] = 0;
            CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, longname, "C", &out, &n),
                         FUNNEL_E_ARGUMENT);
            longname[255] = 0;
            CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, longname, "C", &out, &n),
                         FUNNEL_OK);
            funnel_string_free(out);
        }
        CHECK_STATUS(funnel_score_jsonl_pickle_class(m, text, len, T, &options, "m", "C", &out, NULL),
                     FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_pickle_class(NULL, text, len, T, &options, "m", "C", &out, &n),
                     FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_jsonl_from_objects(NULL, 0, NULL, &out, &n), FUNNEL_E_ARGUMENT);
        CHECK(out == NULL && n == 0);
        {
            funnel_document_layout layout;
            memset(&layout, 0, sizeof layout);
            layout.version = 2;
            CHECK_STATUS(funnel_jsonl_from_objects(NULL, 0, &layout, &out, &n), FUNNEL_E_ARGUMENT);
            CHECK_CONTAINS(funnel_last_error(), "layout->version is 2");
            layout.version = FUNNEL_DOCUMENT_LAYOUT_VERSION;
            CHECK_STATUS(funnel_jsonl_from_objects(NULL, 0, &layout, &out, &n), FUNNEL_E_ARGUMENT); /* forms 0 */
            layout.int_form = 2;
            layout.dict_form = 2;
            layout.str_form = 1;
            CHECK_STATUS(funnel_jsonl_from_objects(NULL, 0, &layout, &out, &n), FUNNEL_OK);
            CHECK(out && n == 0 && out[0] == 0);
            funnel_string_free(out);
            out = NULL;
            CHECK_STATUS(funnel_jsonl_from_objects(NULL, 3, &layout, &out, &n), FUNNEL_E_ARGUMENT);
            CHECK(out == NULL);
        }
    }
    funnel_model_free(m);
}
